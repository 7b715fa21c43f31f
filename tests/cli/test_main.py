"""The CLI: exit codes decided in one place, help everywhere, located errors, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fraudspec.cli import main as cli_main
from fraudspec.cli.main import main
from fraudspec.cli.registry import COMMANDS
from tests.spec.conftest import BASE

EXAMPLE = Path(__file__).parents[2] / "specs" / "fraud-detection.yaml"


def test_validate_example_exits_zero(capsys) -> None:
    assert main(["validate", "--spec", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "fraud-detection.yaml: valid" in out and "(all environments)" in out


def test_validate_reports_located_findings_and_exits_one(tmp_path: Path, capsys) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(BASE.replace("memory_mb: 2048", "memory_mb: 1000"))
    assert main(["validate", str(spec)]) == 1
    out = capsys.readouterr().out
    line = BASE.splitlines().index("    memory_mb: 2048") + 1
    assert f"{spec}:{line}:5: FS101" in out and "hint:" in out and "1 problem(s)" in out


def test_validate_json_format(tmp_path: Path, capsys) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(BASE.replace("algorithm: random_forest", "algorithm: xgboost"))
    assert main(["validate", "--spec", str(spec), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is False
    assert report["findings"][0]["rule"] == "FS006" and report["findings"][0]["line"] == 11


def test_user_error_in_other_commands_goes_to_stderr_with_exit_one(capsys) -> None:
    assert main(["show", "--spec", str(EXAMPLE), "--env", "prod"]) == 1
    err = capsys.readouterr().err
    assert "FS007 unknown environment 'prod'" in err and "declared: local, dev, staging" in err


def test_show_prints_the_effective_environment(capsys) -> None:
    assert main(["show", "--spec", str(EXAMPLE), "--env", "staging", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    shown = document["spec"]
    assert shown["endpoint"]["serverless"] == {"memory_mb": 4096, "max_concurrency": 20}
    assert document["environment"] == "staging" and list(shown["environments"]) == ["staging"]
    assert shown["model"]["data"]["synthetic"]["rows"] == 20000


def test_schema_command_prints_the_schema(capsys) -> None:
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out)["$schema"].endswith("2020-12/schema")


def test_usage_errors_exit_one(capsys) -> None:
    assert main(["validate", "--format", "xml"]) == 1
    assert main(["no-such-command"]) == 1
    assert main([]) == 1


def test_internal_error_exits_seventy_without_traceback(monkeypatch, capsys) -> None:
    """70, not 2: `plan --detailed-exitcode` says "changes" with 2, so a bug must never look like that."""
    def broken(name):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(cli_main, "_module", broken)
    assert main(["schema"]) == 70
    err = capsys.readouterr().err
    assert "internal error" in err and "Traceback" not in err


def test_aws_errors_are_user_errors(monkeypatch, capsys) -> None:
    from botocore.exceptions import NoCredentialsError

    def no_credentials(name):
        raise NoCredentialsError()

    monkeypatch.setattr(cli_main, "_module", no_credentials)
    assert main(["schema"]) == 1
    err = capsys.readouterr().err
    assert "Unable to locate credentials" in err and "hint: check the credentials" in err and "internal" not in err


@pytest.mark.parametrize("command", [c.name for c in COMMANDS])
def test_every_command_has_help(command: str) -> None:
    result = subprocess.run([sys.executable, "-m", "fraudspec", command, "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "usage: fraudspec" in result.stdout


@pytest.mark.parametrize(
    "argv",
    [
        ["validate"],
        ["show", "--env", "dev"],
        ["status"],
        ["destroy"],
        ["--help"],
        ["traffic", "--help"],
        ["apply", "--help"],
        ["drift", "--help"],
    ],
)
def test_light_commands_do_not_import_heavy_libraries(argv: list[str], tmp_path: Path) -> None:
    spec = tmp_path / "specs" / "fraud-detection.yaml"
    spec.parent.mkdir()
    spec.write_text(EXAMPLE.read_text())
    args = argv if "--help" in argv else argv + ["--spec", str(spec)]
    code = (
        "import sys; from fraudspec.cli.main import main; main(%r); "
        "print(sorted(m for m in ('numpy', 'sklearn', 'boto3', 'botocore', 'scipy') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code % args], capture_output=True, text=True, cwd=tmp_path)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stderr
