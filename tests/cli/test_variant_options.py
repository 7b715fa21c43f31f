"""`--variant` of `monitor run`, `monitor quality` and `drift`, and their per-variant output, through the real
CLI entry point on a local environment whose endpoint has a shadow challenger."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fraudspec.cli.main import main
from fraudspec.spec.load import load_spec
from tests.monitoring.challengers import (
    CHALLENGER,
    CHAMPION,
    baselines,
    capture,
    labels,
    load_challenger_spec,
    request_line,
)
from tests.monitoring.conftest import HOUR, SPEC

WINDOW = ["--start", "2024-05-01T10:00:00Z", "--end", "2024-05-01T11:00:00Z"]


@pytest.fixture
def project(tmp_path: Path):
    """A spec with a challenger, both baselines, an hour of both variants' capture and its labels."""
    spec = load_challenger_spec(tmp_path)
    truth = [(i, i % 2) for i in range(40)]
    capture(spec, CHAMPION, HOUR, [request_line(i, 0.9 if y else 0.1) for i, y in truth])
    capture(spec, CHALLENGER, HOUR, [request_line(i, 0.1) for i, _ in truth[:20]])
    labels(spec, HOUR, truth)
    return spec


def _run(capsys, *arguments: str) -> tuple[int, str, str]:
    code = main(list(arguments))
    out, err = capsys.readouterr()
    return code, out, err


def test_monitor_run_covers_every_variant_by_default(project, capsys) -> None:
    code, out, _ = _run(capsys, "monitor", "run", "--spec", str(project.path), "--env", "local", *WINDOW,
                        "--format", "json")
    doc = json.loads(out)
    assert code == 3 and doc["status"] == "CompletedWithViolations", "the challenger's drift is a finding"
    assert [(v["variant"], v["role"], v["status"], v["records"]["rows"]) for v in doc["variants"]] == [
        (CHAMPION, "champion", "Completed", 40), (CHALLENGER, "shadow", "CompletedWithViolations", 20)]
    assert all("-data-quality-gbm/" in path for path in doc["variants"][1]["reports"])


def test_monitor_run_variant_runs_only_that_variant(project, capsys) -> None:
    code, out, _ = _run(capsys, "monitor", "run", "--spec", str(project.path), "--env", "local", *WINDOW,
                        "--variant", CHAMPION)
    assert code == 0
    assert out.startswith(f"Variant {CHAMPION} (champion)\nMonitoring execution: Completed")
    assert f"Variant {CHALLENGER}" not in out


def test_the_local_on_demand_run_reports_each_variant_and_the_champions_alarms(project, capsys) -> None:
    code, out, _ = _run(capsys, "monitor", "run", "--spec", str(project.path), "--env", "local", "--format", "json")
    doc = json.loads(out)
    assert code == 3 and [v["records"]["rows"] for v in doc["variants"]] == [40, 20]
    assert {change["alarm"].rsplit("-", 1)[-1] for change in doc["alarm_changes"]} >= {"amount"}
    assert all(v["window"]["on_demand"] for v in doc["variants"])


def test_monitor_quality_variant(project, capsys) -> None:
    code, out, _ = _run(capsys, "monitor", "quality", "--spec", str(project.path), "--env", "local", *WINDOW,
                        "--variant", CHALLENGER, "--format", "json")
    doc = json.loads(out)
    assert code == 3 and [v["variant"] for v in doc["variants"]] == [CHALLENGER]
    recall = next(m for m in doc["variants"][0]["metrics"] if m["metric"] == "recall")
    assert (recall["value"], recall["violated"]) == (0.0, True)
    assert all("-model-quality-gbm/" in path for path in doc["variants"][0]["reports"])


def test_drift_shows_the_variants_side_by_side(project, capsys, tmp_path: Path) -> None:
    for kind in ("run", "quality"):
        main(["monitor", kind, "--spec", str(project.path), "--env", "local", *WINDOW])
    capsys.readouterr()
    page = tmp_path / "report.html"
    code, out, _ = _run(capsys, "drift", "--spec", str(project.path), "--env", "local", "--html", str(page),
                        "--format", "json")
    doc = json.loads(out)
    assert code == 3 and doc["command"] == "drift" and doc["html"] == str(page)
    assert [v["variant"] for v in doc["variants"]] == [CHAMPION, CHALLENGER]
    amount = next(item for item in doc["comparison"]["drift"] if item["feature"] == "amount")
    assert [amount["variants"][name]["violated"] for name in (CHAMPION, CHALLENGER)] == [False, True]
    assert "Drift side by side" in page.read_text()

    code, out, _ = _run(capsys, "drift", "--spec", str(project.path), "--env", "local")
    header = next(line for line in out.splitlines() if line.startswith("feature"))
    assert header.split() == ["feature", "threshold", CHAMPION, CHALLENGER]

    code, out, _ = _run(capsys, "drift", "--spec", str(project.path), "--env", "local", "--variant", CHAMPION,
                        "--format", "json")
    assert code == 0 and [v["variant"] for v in json.loads(out)["variants"]] == [CHAMPION]


def test_an_unknown_variant_is_a_user_error(project, capsys) -> None:
    for command in (["drift"], ["monitor", "run", *WINDOW], ["monitor", "quality", *WINDOW]):
        code, _, err = _run(capsys, *command, "--spec", str(project.path), "--env", "local", "--variant", "nope")
        assert code == 1 and "no variant 'nope'" in err and "AllTraffic, gbm" in err


def test_without_challengers_the_output_keeps_its_shape(tmp_path: Path, capsys) -> None:
    path = tmp_path / "specs" / "spec.yaml"
    path.parent.mkdir()
    path.write_text(SPEC)
    code, _, err = _run(capsys, "drift", "--spec", str(path), "--env", "local", "--variant", "gbm")
    assert code == 1 and "no variant 'gbm'" in err
    spec = load_spec(path, "local")
    baselines(spec)
    capture(spec, CHAMPION, HOUR, [request_line(i, 0.1) for i in range(150)])
    code, out, _ = _run(capsys, "monitor", "run", "--spec", str(path), "--env", "local", *WINDOW,
                        "--variant", CHAMPION, "--format", "json")
    doc = json.loads(out)
    assert code == 0 and "variants" not in doc and (doc["status"], doc["records"]["rows"]) == ("Completed", 150)
    code, out, _ = _run(capsys, "drift", "--spec", str(path), "--env", "local", "--format", "json")
    assert code == 0 and "variants" not in json.loads(out) and json.loads(out)["data_quality"]["drift"]


def test_a_challenger_without_an_execution_points_at_the_champion_alone(project, capsys) -> None:
    main(["monitor", "run", "--spec", str(project.path), "--env", "local", *WINDOW, "--variant", CHAMPION])
    capsys.readouterr()
    code, _, err = _run(capsys, "drift", "--spec", str(project.path), "--env", "local")
    assert code == 1 and "data-quality-gbm found" in err
    assert "run `fraudspec monitor run --env local` first" in err and f"--variant {CHAMPION}`" in err
    code, out, _ = _run(capsys, "drift", "--spec", str(project.path), "--env", "local", "--variant", CHAMPION)
    assert code == 0 and f"{CHAMPION}  champion  Completed" in out
