"""Executions for a spec: default locations, scheduled runs with a label delay, late labels, on-demand windows."""

from __future__ import annotations

import dataclasses
import json
import math
from datetime import timedelta
from pathlib import Path

import pytest

from fraudspec.core.errors import FraudspecError
from fraudspec.monitoring.jobs.for_spec import (
    JobRequest,
    default_ground_truth,
    model_quality,
    run_quality_for_spec,
)
from fraudspec.monitoring.quality.rows import rows_from_summary
from fraudspec.monitoring.records.hours import Window, hour_path
from fraudspec.reports.drift import latest_quality_summary
from fraudspec.runtime.monitoring import run_quality_scheduled
from fraudspec.spec.load import load_spec
from tests.monitoring.quality.conftest import HOUR, QUALITY_SPEC, label_line, prediction_line, write_lines

H = timedelta(hours=1)


def capture_at(spec, hour, lines) -> None:
    write_lines(spec.workspace.capture / spec.names.endpoint / spec.endpoint.variant / hour_path(hour), lines)


def labels_at(spec, hour, lines, name="00-00-000-a.jsonl") -> None:
    write_lines(spec.workspace.ground_truth / hour_path(hour), lines, name)


def delayed_spec(path: Path, hours: int):
    path.write_text(QUALITY_SPEC.replace("    min_labels: 4\n", f"    min_labels: 4\n    label_delay_hours: {hours}\n"))
    return load_spec(path, "local")


def test_a_scheduled_run_evaluates_the_delayed_window_and_ignores_labels_that_arrive_after_it(
    quality_spec_path,
) -> None:
    spec = delayed_spec(quality_spec_path, 2)
    run = Window(HOUR + 2 * H, HOUR + 3 * H)  # fires at 13:00: evaluates predictions of 10:00-11:00
    capture_at(spec, HOUR, [prediction_line(f"e{i}", p) for i, p in enumerate([0.9, 0.8, 0.2, 0.1, 0.7])])
    capture_at(spec, HOUR + H, [prediction_line("later", 0.9)])  # the next window's prediction
    labels_at(spec, HOUR + H, [label_line("e0", 1), label_line("e1", 1), label_line("e2", 0), label_line("later", 1)])
    labels_at(spec, HOUR + 2 * H, [label_line("e3", 0)])
    labels_at(spec, HOUR + 3 * H, [label_line("e4", 1)])  # arrives at 13:xx: after the run, not used
    local = run_quality_scheduled(spec, run)
    result, written = local.result, local.written
    assert (result.windows.capture, result.windows.labels) == (Window(HOUR, HOUR + H), Window(HOUR, HOUR + 3 * H))
    counts = result.counts
    assert (counts.predictions, counts.labelled, counts.unlabelled, counts.unmatched_labels) == (5, 4, 1, 1)
    assert result.status == "Completed" and result.metrics.values["recall"] == 1.0
    reports = spec.workspace.reports / spec.names.endpoint / spec.names.model_quality_schedule
    assert Path(written[0]).parent == reports / "2024/05/01/13"


def test_the_late_label_counts_once_a_later_run_reads_its_hour(quality_spec_path) -> None:
    spec = delayed_spec(quality_spec_path, 0)
    capture_at(spec, HOUR, [prediction_line(f"e{i}", p) for i, p in enumerate([0.9, 0.8, 0.2, 0.1, 0.3])])
    labels_at(spec, HOUR, [label_line(f"e{i}", y) for i, y in enumerate([1, 1, 0, 0])])
    labels_at(spec, HOUR + H, [label_line("e4", 1)])
    on_time = run_quality_for_spec(
        spec, JobRequest(start=HOUR, end=HOUR + H), now=HOUR + H - timedelta(minutes=5)
    ).result
    later = run_quality_for_spec(spec, JobRequest(start=HOUR, end=HOUR + H), now=HOUR + 2 * H).result
    assert (on_time.counts.labelled, on_time.metrics.values["recall"]) == (4, 1.0)
    assert (later.counts.labelled, later.metrics.values["recall"]) == (5, 2 / 3)
    assert later.status == "Completed" and on_time.status == "Completed"


def test_from_earliest_takes_everything_captured_with_every_label_known_now(quality_spec_path) -> None:
    spec = load_spec(quality_spec_path, "local")
    capture_at(spec, HOUR - 5 * H, [prediction_line("old", 0.1)])
    capture_at(spec, HOUR, [prediction_line(f"e{i}", 0.9) for i in range(4)])
    labels_at(spec, HOUR, [label_line("old", 0), *(label_line(f"e{i}", 1) for i in range(4))])
    result = run_quality_for_spec(spec, JobRequest(from_earliest=True), now=HOUR + timedelta(minutes=30)).result
    assert result.windows.capture == Window(HOUR - 5 * H, HOUR + H) and result.counts.labelled == 5


def test_without_a_window_it_is_the_previous_full_hour_shifted_back_by_the_delay(quality_spec_path) -> None:
    spec = delayed_spec(quality_spec_path, 3)
    result = run_quality_for_spec(spec, JobRequest(), now=HOUR + timedelta(minutes=10)).result
    assert result.windows.capture == Window(HOUR - 4 * H, HOUR - 3 * H)
    assert result.windows.labels == Window(HOUR - 4 * H, HOUR)
    assert result.status == "Failed"


def test_explicit_locations_win_over_the_defaults(quality_spec_path, tmp_path: Path) -> None:
    spec = load_spec(quality_spec_path, "local")
    capture = tmp_path / "cap"
    write_lines(
        capture / spec.names.endpoint / spec.endpoint.variant / hour_path(HOUR),
        [prediction_line(f"e{i}", 0.9) for i in range(4)],
    )
    write_lines(tmp_path / "truth" / hour_path(HOUR), [label_line(f"e{i}", 1) for i in range(4)])
    request = JobRequest(
        capture=str(capture),
        ground_truth=str(tmp_path / "truth"),
        output=str(tmp_path / "out"),
        start=HOUR,
        end=HOUR + H,
    )
    outcome = run_quality_for_spec(spec, request, now=HOUR + H)
    result, written = outcome.result, outcome.reports
    assert result.counts.labelled == 4 and all(path.startswith(str(tmp_path / "out")) for path in written)
    assert json.loads(Path(written[-1]).read_text())["status"] == "Completed"


def test_default_ground_truth_per_target(quality_spec_path) -> None:
    spec = load_spec(quality_spec_path, "local")
    assert default_ground_truth(spec) == str(spec.workspace.ground_truth)
    aws = dataclasses.replace(spec, environment=dataclasses.replace(spec.environment, target="aws", bucket="bkt"))
    assert default_ground_truth(aws) == "s3://bkt/fraudspec/fraud-detection/local/ground-truth"
    configured = dataclasses.replace(spec.monitoring.model_quality, ground_truth="s3://labels/fraud")
    custom = dataclasses.replace(spec, monitoring=dataclasses.replace(spec.monitoring, model_quality=configured))
    assert default_ground_truth(custom) == "s3://labels/fraud"


def test_a_spec_without_model_quality_is_a_user_error(spec_path) -> None:
    with pytest.raises(FraudspecError, match="not configured") as raised:
        model_quality(load_spec(spec_path, "local"))
    assert "monitoring.model_quality" in raised.value.hint


def test_the_latest_summary_is_read_back_as_rows(quality_spec_path) -> None:
    spec = load_spec(quality_spec_path, "local")
    assert latest_quality_summary(spec) is None
    capture_at(spec, HOUR, [prediction_line(f"e{i}", p) for i, p in enumerate([0.9, 0.8, 0.2, 0.1])])
    labels_at(spec, HOUR, [label_line(f"e{i}", y) for i, y in enumerate([1, 0, 0, 0])])
    run_quality_scheduled(spec, Window(HOUR, HOUR + H))
    run_quality_scheduled(spec, Window(HOUR - H, HOUR))  # an older run, written later
    summary = latest_quality_summary(spec)
    assert summary["label_window"]["end"] == "2024-05-01T11:00:00Z"
    rows = {row.metric: row for row in rows_from_summary(summary)}
    assert rows["false_positive_rate"].value == 1 / 3 and rows["false_positive_rate"].violated
    assert rows["recall"].threshold == 0.6 and rows["recall"].comparison == "LessThanThreshold"
    assert math.isnan(rows["recall"].std)  # stored as null: fewer than 200 labels
