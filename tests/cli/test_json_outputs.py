"""A golden file per JSON output (docs/json-output.md), the exit codes a CI job gates on, and the
text of each command rendered from the same document as its JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from fraudspec.cli.commands.plan import plan_json
from fraudspec.cli.main import main
from fraudspec.deploy.plan_summary import summarize
from fraudspec.monitoring.records.hours import hour_path
from fraudspec.spec.load import load_spec
from tests.cli.goldens import GOLDEN, assert_golden
from tests.monitoring.conftest import HOUR
from tests.monitoring.quality.conftest import QUALITY_SPEC, label_line, prediction_line, write_lines
from tests.monitoring.test_cli import ENDPOINT, capture, train_csv

ROOT = Path(__file__).parents[2]
WINDOW = ["--start", "2024-05-01T10:00Z", "--end", "2024-05-01T11:00Z"]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A local project with a baseline, as the working directory (paths in the output are relative)."""
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "spec.yaml").write_text(QUALITY_SPEC)
    monkeypatch.chdir(tmp_path)
    train_csv(tmp_path)
    assert main(["baseline", "--spec", "specs/spec.yaml"]) == 0
    return tmp_path


def _json(capsys, code: int, *argv: str) -> dict[str, Any]:
    assert main(list(argv)) == code
    document = json.loads(capsys.readouterr().out)
    assert document["format_version"] == 1 and document["command"] == " ".join(a for a in argv[:2]
                                                                                 if not a.startswith("-"))
    return document


def _text(capsys, code: int, *argv: str) -> str:
    assert main(list(argv)) == code
    return capsys.readouterr().out


def test_monitor_run_json_golden_and_exit_three_on_drift(project: Path, capsys) -> None:
    capture(project, HOUR, "amount=x3")
    document = _json(capsys, 3, "monitor", "run", "--spec", "specs/spec.yaml", *WINDOW, "--format", "json")
    assert document["status"] == "CompletedWithViolations"
    assert [f["name"] for f in document["features"] if f["result"] == "drift"] == ["amount"]
    assert_golden("monitor-run.json", _relative(document, project))
    text = _text(capsys, 3, "monitor", "run", "--spec", "specs/spec.yaml", *WINDOW)
    amount = next(f for f in document["features"] if f["name"] == "amount")
    assert f"{amount['distance']:.4f}" in text and "Window:  [2024-05-01T10:00:00Z, 2024-05-01T11:00:00Z)" in text


def test_monitor_run_exits_zero_without_violations(project: Path, capsys) -> None:
    capture(project, HOUR, None)
    document = _json(capsys, 0, "monitor", "run", "--spec", "specs/spec.yaml", *WINDOW, "--format", "json")
    assert document["status"] == "Completed" and document["violations"] == []


def test_an_empty_window_is_a_failed_execution_exit_three(project: Path, capsys) -> None:
    document = _json(capsys, 3, "monitor", "run", "--spec", "specs/spec.yaml", *WINDOW, "--format", "json")
    assert document["status"] == "Failed" and "no data" in document["failure_reason"]


def test_drift_json_golden_and_exit_three(project: Path, capsys) -> None:
    capture(project, HOUR, "amount=x3")
    assert main(["monitor", "run", "--spec", "specs/spec.yaml", *WINDOW]) == 3
    capsys.readouterr()
    document = _json(capsys, 3, "drift", "--spec", "specs/spec.yaml", "--format", "json")
    assert document["data_quality"]["window"]["on_demand"] is False and document["model_quality"] is None
    assert_golden("drift.json", _relative(document, project))
    text = _text(capsys, 3, "drift", "--spec", "specs/spec.yaml")
    assert "Model quality: no execution yet (run `" in text and "monitor quality --env local`)" in text


def test_monitor_quality_json_golden_and_exit_three(project: Path, capsys) -> None:
    workspace = load_spec(project / "specs" / "spec.yaml", "local").workspace  # where build/ puts them
    write_lines(workspace.capture / ENDPOINT / "AllTraffic" / hour_path(HOUR),
                [prediction_line(f"e{i}", p) for i, p in enumerate([0.9, 0.2, 0.3, 0.1, 0.6, 0.05, 0.15])])
    write_lines(workspace.ground_truth / hour_path(HOUR),
                [label_line(f"e{i}", y) for i, y in enumerate([1, 1, 0, 0, 0, 0, 0])])
    document = _json(capsys, 3, "monitor", "quality", "--spec", "specs/spec.yaml", *WINDOW, "--format", "json")
    assert document["status"] == "CompletedWithViolations" and document["confusion"]["true_positives"] == 1
    document["label_window"]["end"] = "<the end of the current hour>"  # labels arrive until now
    # Reports go under the hour the labels' window ends: the end of the current hour.
    document["reports"] = [re.sub(r"/\d{4}/\d{2}/\d{2}/\d{2}/", "/<the current hour>/", path)
                           for path in document["reports"]]
    assert_golden("monitor-quality.json", _relative(document, project))


def test_status_json_golden_and_exit_three_when_not_running(project: Path, capsys) -> None:
    document = _json(capsys, 3, "status", "--spec", "specs/spec.yaml", "--format", "json")
    assert document["running"] is False and document["runtime"] is None
    assert_golden("status.json", document)
    assert "not running (start it with `" in _text(capsys, 3, "status", "--spec", "specs/spec.yaml")


def test_plan_json_golden() -> None:
    """From Terraform's own `show -json` shape: the document `plan --format json` prints per environment."""
    plan = {"resource_changes": [
        {"address": "aws_sagemaker_endpoint.main", "type": "aws_sagemaker_endpoint", "mode": "managed",
         "change": {"actions": ["update"]}},
        {"address": "aws_sagemaker_endpoint_configuration.main", "type": "aws_sagemaker_endpoint_configuration",
         "mode": "managed", "change": {"actions": ["create", "delete"], "replace_paths": [["production_variants"]]}},
        {"address": "data.aws_iam_policy_document.x", "type": "aws_iam_policy_document", "mode": "data",
         "change": {"actions": ["read"]}},
    ]}
    document = plan_json("dev", summarize(plan))
    assert document["has_changes"] and document["counts"] == {"create": 0, "update": 1, "replace": 1, "delete": 0}
    assert_golden("plan.json", {"format_version": 1, "command": "plan", "has_changes": True,
                                "environments": [document]})


def test_every_json_key_is_documented() -> None:
    """docs/json-output.md names each golden's top-level keys: the shapes are documented, not just tested."""
    doc = (ROOT / "docs" / "json-output.md").read_text()
    for golden in sorted(GOLDEN.glob("*.json")):
        keys = json.loads(golden.read_text())
        missing = [key for key in keys if f"`{key}`" not in doc]
        assert not missing, f"{golden.name}: {missing} not in docs/json-output.md"


def _relative(document: dict[str, Any], project: Path) -> dict[str, Any]:
    """Absolute paths under the temporary project, made relative to it."""
    return json.loads(json.dumps(document).replace(f"{project}/", "").replace(str(project), "."))



def test_build_json_golden(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "spec.yaml").write_text(
        QUALITY_SPEC.replace("algorithm: random_forest", "algorithm: random_forest\n  gate: {roc_auc: 0.5}"))
    monkeypatch.chdir(tmp_path)
    document = _json(capsys, 0, "build", "--spec", "specs/spec.yaml", "--no-progress", "--format", "json")
    assert document["gate"]["roc_auc"]["passed"] and document["cached"] is False and document["locked"] == []
    document["model"]["sha256"] = "<sha256 of model.tar.gz>"  # checked by the artifact's own tests
    assert_golden("build.json", document)
