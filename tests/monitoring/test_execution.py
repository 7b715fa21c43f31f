"""A monitoring execution end to end: drift from the generator, no data, malformed input, reruns."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fraudspec.monitoring.engine.baseline import compute_baseline
from fraudspec.monitoring.engine.execution import NO_DATA, run_execution, write_reports
from fraudspec.monitoring.engine.table import numeric_table
from fraudspec.monitoring.records.hours import report_folder
from fraudspec.monitoring.records.sinks import LocalSink
from fraudspec.monitoring.records.sources import LocalCaptureSource, window_blocks
from fraudspec.spec.model import DriftSpec, MonitoringSpec, Schedule, frozen_map
from fraudspec.training.synthetic import generate, generate_drifted
from tests.monitoring.conftest import ENDPOINT, HOUR, VARIANT, WINDOW, blocks, capture_line, csv_rows, write_capture

FEATURES = ("txn_count_1h", "txn_amount_1h", "merchant_count_24h", "avg_amount_7d", "amount")
MONITORING = MonitoringSpec(Schedule("hourly", "cron(0 * ? * * *)", "cron(0 * ? * * *)"),
                            drift=DriftSpec(features=frozen_map({"amount": 0.05})))


@pytest.fixture(scope="module")
def baseline():
    X = generate(FEATURES, 20_000, seed=7).X
    return compute_baseline(numeric_table({name: X[:, j] for j, name in enumerate(FEATURES)}), (), MONITORING)


def capture_of(X: np.ndarray) -> list:
    return blocks(*(capture_line(row) for row in csv_rows(X)))


def test_a_drifted_sample_is_flagged_on_the_shifted_feature_only(baseline) -> None:
    statistics, constraints = baseline
    drifted = generate_drifted(FEATURES, 5_000, seed=8, drift="amount=x3").X
    result = run_execution(capture_of(drifted), statistics, constraints, WINDOW, FEATURES)
    assert result.status == "CompletedWithViolations"
    assert [(v.feature_name, v.constraint_check_type) for v in result.violations] == [
        ("amount", "baseline_drift_check")
    ]
    assert [d.feature for d in result.drifts if d.violated] == ["amount"]


def test_an_undrifted_sample_completes_clean(baseline) -> None:
    statistics, constraints = baseline
    result = run_execution(capture_of(generate(FEATURES, 5_000, seed=9).X), statistics, constraints, WINDOW, FEATURES)
    assert (result.status, result.violations) == ("Completed", ())
    assert result.counts.rows == 5_000 and result.statistics.item_count == 5_000
    assert result.metric_features == FEATURES


def test_an_empty_window_fails_with_no_data_and_no_violations(baseline, tmp_path: Path) -> None:
    statistics, constraints = baseline
    result = run_execution([], statistics, constraints, WINDOW, FEATURES)
    assert result.status == "Failed" and result.statistics is None and result.violations == ()
    assert result.failure_reason == f"{NO_DATA}: no capture records in [2024-05-01T10:00:00Z, 2024-05-01T11:00:00Z)"
    written = write_reports(result, LocalSink(tmp_path), "ep", "sched")
    assert [Path(p).name for p in written] == ["execution_summary.json"]


def test_a_window_of_only_malformed_lines_fails_and_says_so(baseline) -> None:
    statistics, constraints = baseline
    result = run_execution(blocks("oops", "{}"), statistics, constraints, WINDOW, FEATURES)
    assert result.status == "Failed" and result.counts.malformed == 2
    assert "all 2 capture line(s)" in result.failure_reason and len(result.malformed_examples) == 2


def test_rerunning_on_the_same_input_is_byte_identical(baseline, tmp_path: Path) -> None:
    statistics, constraints = baseline
    drifted = generate_drifted(FEATURES, 3_000, seed=8, drift="amount=x2,txn_count_1h=missing:20%").X
    lines = [capture_line(row) for row in csv_rows(drifted)] + ["not json"]
    write_capture(tmp_path / "capture", HOUR, lines[:1500], name="00-00-000-a.jsonl")
    write_capture(tmp_path / "capture", HOUR, lines[1500:], name="30-00-000-b.jsonl")
    source = LocalCaptureSource(tmp_path / "capture", ENDPOINT, VARIANT)
    outputs = []
    for run in ("one", "two"):
        found = window_blocks(source, WINDOW)
        result = run_execution(found, statistics, constraints, WINDOW, FEATURES)
        written = write_reports(result, LocalSink(tmp_path / run), ENDPOINT, "sched")
        outputs.append({Path(p).name: Path(p).read_bytes() for p in written})
    assert outputs[0] == outputs[1]
    assert sorted(outputs[0]) == ["constraint_violations.json", "execution_summary.json", "statistics.json"]
    folder = tmp_path / "one" / report_folder(ENDPOINT, "sched", WINDOW)
    own = [p for p in folder.iterdir() if p.is_dir()]  # the run's own folder, beside the hour's copy
    assert sorted(p.name for p in folder.iterdir() if p.is_file()) == sorted(outputs[0])
    assert len(own) == 1 and sorted(p.name for p in own[0].iterdir()) == sorted(outputs[0])
    assert b'"completeness_check"' in outputs[0]["constraint_violations.json"]
    assert b'"malformed": 1' in outputs[0]["execution_summary.json"]
