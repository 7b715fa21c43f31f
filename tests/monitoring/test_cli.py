"""`fraudspec baseline` and `fraudspec monitor run` through the real CLI entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from fraudspec.cli import main as cli_main
from fraudspec.cli.registry import COMMANDS, Command
from fraudspec.training.synthetic import generate, generate_drifted
from tests.monitoring.conftest import HOUR, capture_line, csv_rows, write_capture

FEATURES = ("txn_count_1h", "amount")
ENDPOINT = "rc-project-a-fraud-detection-local"
REPORTS = Path("build/spec/local/monitoring/reports") / ENDPOINT / f"{ENDPOINT}-data-quality"


@pytest.fixture(autouse=True)
def commands(monkeypatch: pytest.MonkeyPatch) -> None:
    """The registry lines the lead adds; replaced rather than appended so the test survives them."""
    ours = (Command("baseline", "baseline", "write the monitoring baseline"),
            Command("monitor", "monitor", "run a monitoring execution"))
    monkeypatch.setattr(
        cli_main, "COMMANDS", tuple(c for c in COMMANDS if c.name not in ("baseline", "monitor")) + ours
    )


def train_csv(root: Path) -> None:
    data = generate(FEATURES, 3_000, seed=7)
    channel = ["app" if i % 3 else "web" for i in range(3_000)]
    rows = [f"{numbers},{c},{label}" for numbers, c, label in zip(csv_rows(data.X), channel, data.y.tolist())]
    path = root / "build" / "spec" / "local" / "data" / "train.csv"
    path.parent.mkdir(parents=True)
    path.write_text("txn_count_1h,amount,channel,is_fraud\n" + "\n".join(rows) + "\n")


def capture(root: Path, hour, drift: str | None) -> None:
    data = generate_drifted(FEATURES, 1_000, seed=9, drift=drift) if drift else generate(FEATURES, 1_000, seed=9)
    lines = [capture_line(f"{row},app" if i % 3 else f"{row},web") for i, row in enumerate(csv_rows(data.X))]
    write_capture(root / "build" / "spec" / "local" / "capture", hour, lines, endpoint=ENDPOINT)


def test_baseline_without_training_data_points_at_the_build(spec_path: Path, capsys) -> None:
    assert cli_main.main(["baseline", "--spec", str(spec_path), "--env", "local"]) == 1
    assert "run `fraudspec build --env local` first" in capsys.readouterr().err


def test_monitor_without_a_baseline_points_at_the_baseline_command(spec_path: Path, capsys) -> None:
    assert cli_main.main(["monitor", "run", "--spec", str(spec_path), "--env", "local"]) == 1
    assert "run `fraudspec baseline --env local` to write it" in capsys.readouterr().err


def test_baseline_then_monitor_run_prints_the_table_and_writes_the_reports(spec_path: Path, capsys) -> None:
    root = spec_path.parents[1]
    train_csv(root)
    assert cli_main.main(["baseline", "--spec", str(spec_path), "--env", "local"]) == 0
    out = capsys.readouterr().out
    assert "Baseline of 3,000 row(s)" in out and "0.05 (Robust)" in out
    constraints = json.loads((root / "build/spec/local/monitoring/constraints.json").read_text())
    assert [f["inferred_type"] for f in constraints["features"]] == ["Integral", "Fractional", "String"]
    assert constraints["features"][2]["string_constraints"]["domains"] == ["app", "web"]

    capture(root, HOUR, "amount=x3")
    code = cli_main.main(
        [
            "monitor",
            "run",
            "--spec",
            str(spec_path),
            "--env",
            "local",
            "--start",
            "2024-05-01T10:00Z",
            "--end",
            "2024-05-01T11:00:00+00:00",
        ]
    )
    out = capsys.readouterr().out
    assert code == 3  # violations: a CI job can gate on it
    assert "Monitoring execution: CompletedWithViolations" in out
    assert "amount  baseline_drift_check  Numerical distance:" in out
    table = {line.split()[0]: line.split() for line in out.splitlines() if line.startswith(FEATURES + ("channel",))}
    assert table["amount"][-1] == "DRIFT" and table["txn_count_1h"][-1] == "ok" and table["channel"][-1] == "ok"
    folder = root / REPORTS / "2024/05/01/11"
    violations = json.loads((folder / "constraint_violations.json").read_text())["violations"]
    assert [(v["feature_name"], v["constraint_check_type"]) for v in violations] == [("amount", "baseline_drift_check")]


def test_start_earliest_covers_everything_captured(spec_path: Path, capsys) -> None:
    root = spec_path.parents[1]
    train_csv(root)
    assert cli_main.main(["baseline", "--spec", str(spec_path), "--env", "local"]) == 0
    capture(root, HOUR - timedelta(hours=5), None)
    capture(root, HOUR, None)
    capsys.readouterr()
    assert (
        cli_main.main(
            [
                "monitor",
                "run",
                "--spec",
                str(spec_path),
                "--env",
                "local",
                "--start",
                "earliest",
                "--end",
                "2024-05-01T11:00Z",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "Window:  [2024-05-01T05:00:00Z, 2024-05-01T11:00:00Z)" in out and "2,000 row(s)" in out


def test_an_empty_window_says_no_data(spec_path: Path, capsys) -> None:
    root = spec_path.parents[1]
    train_csv(root)
    assert cli_main.main(["baseline", "--spec", str(spec_path), "--env", "local"]) == 0
    assert (
        cli_main.main(["monitor", "run", "--spec", str(spec_path), "--env", "local", "--end", "2024-05-01T11:00Z"]) == 3
    )
    out = capsys.readouterr().out
    assert "Monitoring execution: Failed" in out and "Job inputs had no data" in out
    capture = root / "build" / "spec" / "local" / "capture"
    assert f"Capture: {capture}" in out and "--start earliest` analyses everything" in out
    assert "Violations" not in out
    runs = list((root / REPORTS / "2024/05/01/11").glob("*/execution_summary.json"))
    assert len(runs) == 1, "a run without data writes its own folder only, never the hour's report"
    assert not (root / REPORTS / "2024/05/01/11/execution_summary.json").exists()


def test_a_bad_time_is_a_user_error(spec_path: Path, capsys) -> None:
    assert cli_main.main(["monitor", "run", "--spec", str(spec_path), "--env", "local", "--start", "yesterday"]) == 1
    assert "--start 'yesterday' is not a time" in capsys.readouterr().err


def test_command_modules_do_not_import_numpy() -> None:
    code = (
        "import sys, fraudspec.cli.commands.baseline, fraudspec.cli.commands.monitor; sys.exit('numpy' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parents[2]).returncode == 0


@mock_aws
def test_capture_and_reports_can_live_in_s3(spec_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    root = spec_path.parents[1]
    train_csv(root)
    assert cli_main.main(["baseline", "--spec", str(spec_path), "--env", "local"]) == 0
    client = boto3.client("s3", region_name="us-east-1")
    client.create_bucket(Bucket="capture-bucket")
    key = f"cap/{ENDPOINT}/AllTraffic/2024/05/01/10/00-00-000-a.jsonl"
    client.put_object(
        Bucket="capture-bucket", Key=key, Body="\n".join(capture_line(f"{i},{i}.5,app") for i in range(50))
    )
    assert (
        cli_main.main(
            [
                "monitor",
                "run",
                "--spec",
                str(spec_path),
                "--env",
                "local",
                "--capture",
                "s3://capture-bucket/cap",
                "--output",
                "s3://capture-bucket/reports",
                "--end",
                "2024-05-01T11:00Z",
            ]
        )
        == 3  # the 50 rows drift from the baseline
    )
    listed = client.list_objects_v2(Bucket="capture-bucket", Prefix="reports/")["Contents"]
    hour = f"reports/{REPORTS.relative_to('build/spec/local/monitoring/reports')}/2024/05/01/11/"
    names = sorted(item["Key"][len(hour):] for item in listed)
    own = names[0].split("/")[0]  # the run's own folder sorts before the hour's files (it starts with a digit)
    assert names == [f"{own}/constraint_violations.json", f"{own}/execution_summary.json", f"{own}/statistics.json",
                     "constraint_violations.json", "execution_summary.json", "statistics.json"]
    assert all(
        item["Key"].startswith(f"reports/{REPORTS.relative_to('build/spec/local/monitoring/reports')}/2024/05/01/11/")
        for item in listed
    )
