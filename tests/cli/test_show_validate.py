"""`show` prints a spec that validates unchanged and says where each value came from; validity is per
environment (a base value an environment overrides is judged only where it is inherited)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from fraudspec.cli.main import main
from tests.cli.goldens import assert_golden
from tests.spec.conftest import BASE

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "specs" / "fraud-detection.yaml"


@pytest.fixture
def write_spec(tmp_path: Path):
    def write(text: str) -> Path:
        path = tmp_path / "specs" / "spec.yaml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text)
        return path

    return write


def _show(capsys, *argv: str) -> str:
    assert main(["show", *argv]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("env", ["local", "dev", "staging"])
def test_show_round_trips_through_validate(env: str, tmp_path: Path, capsys) -> None:
    shown = _show(capsys, "--spec", str(EXAMPLE), "--env", env)
    copy = tmp_path / "specs" / "shown.yaml"
    copy.parent.mkdir()
    copy.write_text(shown)
    assert main(["validate", str(copy), "--env", env]) == 0
    assert main(["validate", str(copy)]) == 0  # it declares only this environment
    capsys.readouterr()
    again = _show(capsys, "--spec", str(copy), "--env", env)
    assert again.splitlines()[1:] == shown.splitlines()[1:]  # the first line names the file shown
    assert list(yaml.safe_load(shown)["environments"]) == [env]


def test_explained_show_is_a_valid_spec_too(tmp_path: Path, capsys) -> None:
    explained = _show(capsys, "--spec", str(EXAMPLE), "--env", "staging", "--explain")
    copy = tmp_path / "shown.yaml"
    copy.write_text(explained)
    assert main(["validate", str(copy), "--env", "staging"]) == 0


def test_explain_names_base_override_environment_and_default(capsys) -> None:
    lines = _show(capsys, "--spec", str(EXAMPLE), "--env", "staging", "--explain").splitlines()
    example = EXAMPLE.read_text().splitlines()

    def said(prefix: str) -> str:
        return next(line for line in lines if line.strip().startswith(prefix)).split("#", 1)[1].strip()

    override_line = next(i for i, text in enumerate(example, 1) if "memory_mb: 4096" in text)
    assert said("memory_mb: 4096") == f"override, line {override_line}"
    assert said("name: fraud-detection") == "base, line 4"
    assert said("fraud_rate: 0.02") == "default"
    assert said("region: ap-southeast-1").startswith("environment, line ")
    assert said("probability_threshold: 0.5") == "default"  # derived from model.decision_threshold


def test_show_writes_spec_fields_not_internal_ones(capsys) -> None:
    aws = yaml.safe_load(_show(capsys, "--spec", str(EXAMPLE), "--env", "dev"))
    local = yaml.safe_load(_show(capsys, "--spec", str(EXAMPLE), "--env", "local"))
    dev = aws["environments"]["dev"]
    assert dev["role"] == "create" and "role_arn" not in dev and "port" not in dev
    assert aws["monitoring"]["schedule"] == "hourly"  # as written, not the internal mapping
    assert "role" not in local["environments"]["local"] and local["environments"]["local"]["port"] == 8080
    assert "path" not in aws and "environment" not in aws


OVERRIDDEN_BY_STAGING = BASE.replace("memory_mb: 2048", "memory_mb: 1000") + """\
  staging:
    target: aws
    region: ap-southeast-1
    account: "123456789012"
    bucket: acme-sm-rc-staging
    overrides:
      endpoint: {serverless: {memory_mb: 4096}}
"""


def test_validate_env_checks_the_effective_spec(write_spec, capsys) -> None:
    spec = write_spec(OVERRIDDEN_BY_STAGING)
    assert main(["validate", str(spec), "--env", "staging"]) == 0
    assert main(["validate", str(spec), "--env", "dev"]) == 1
    line = OVERRIDDEN_BY_STAGING.splitlines().index("    memory_mb: 1000") + 1
    assert f"{spec}:{line}:5: FS101" in capsys.readouterr().out  # located at the base value dev inherits
    assert main(["validate", str(spec)]) == 1  # every environment: dev inherits it
    assert main(["show", "--spec", str(spec), "--env", "staging"]) == 0


def test_a_base_value_overridden_everywhere_is_not_checked(write_spec, capsys) -> None:
    text = OVERRIDDEN_BY_STAGING.replace(
        "    bucket: acme-sm-rc-project-a\n",
        "    bucket: acme-sm-rc-project-a\n    overrides:\n      endpoint: {serverless: {memory_mb: 3072}}\n",
    ).replace("  local:\n    target: local\n",
              "  local:\n    target: local\n    overrides:\n      endpoint: {serverless: {memory_mb: 2048}}\n")
    assert main(["validate", str(write_spec(text))]) == 0, capsys.readouterr().out


def test_an_invalid_override_is_located_at_the_override(write_spec, capsys) -> None:
    text = OVERRIDDEN_BY_STAGING.replace("memory_mb: 1000", "memory_mb: 2048").replace(
        "memory_mb: 4096}", "memory_mb: 4000}")
    assert main(["validate", str(write_spec(text)), "--env", "staging", "--format", "json"]) == 1
    finding = json.loads(capsys.readouterr().out)["findings"][0]
    assert finding["rule"] == "FS101" and finding["line"] == len(text.splitlines())


def test_validate_json_golden(write_spec, capsys, monkeypatch) -> None:
    spec = write_spec(OVERRIDDEN_BY_STAGING)
    monkeypatch.chdir(spec.parent.parent)
    assert main(["validate", "specs/spec.yaml", "--env", "dev", "--format", "json"]) == 1
    assert_golden("validate.json", json.loads(capsys.readouterr().out))


def test_show_json_golden(write_spec, capsys, monkeypatch) -> None:
    spec = write_spec(OVERRIDDEN_BY_STAGING.replace("memory_mb: 1000", "memory_mb: 2048"))
    monkeypatch.chdir(spec.parent.parent)
    document = json.loads(_show(capsys, "--spec", "specs/spec.yaml", "--env", "staging", "--format", "json"))
    assert document["provenance"]["endpoint.serverless.memory_mb"] == {"origin": "override",
                                                                       "line": len(OVERRIDDEN_BY_STAGING.splitlines())}
    assert_golden("show.json", document)
