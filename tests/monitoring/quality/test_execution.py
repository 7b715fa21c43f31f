"""A model-quality execution: statuses, the delayed windows, and the files in Model Monitor's formats."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from fraudspec.core.jsonfile import DocumentError
from fraudspec.monitoring.quality import constraints as constraints_file
from fraudspec.monitoring.quality.constraints import QualityConstraint
from fraudspec.monitoring.quality.execution import QualityJob, QualityWindows, run_quality, write_quality_reports
from fraudspec.monitoring.records.hours import Window
from fraudspec.monitoring.records.sinks import LocalSink
from fraudspec.spec.model import ModelQualitySpec, QualityThreshold, Schedule, frozen_map
from tests.monitoring.quality.conftest import HOUR, blocks, label_line, prediction_line

WINDOWS = QualityWindows(Window(HOUR, HOUR + timedelta(hours=1)), Window(HOUR, HOUR + timedelta(hours=2)))
RECALL_MIN = QualityConstraint("recall", 0.8, "LessThanThreshold")
FPR_MAX = QualityConstraint("false_positive_rate", 0.5, "GreaterThanThreshold")
JOB = QualityJob((RECALL_MIN, FPR_MAX), probability_threshold=0.5, min_labels=4)

# Four frauds, one missed (recall 0.75); four legitimate, one flagged (false positive rate 0.25).
PROBABILITIES = [0.9, 0.8, 0.7, 0.2, 0.1, 0.2, 0.3, 0.6]
LABELS = [1, 1, 1, 1, 0, 0, 0, 0]


def run(labels=LABELS, job=JOB, probabilities=PROBABILITIES):
    captures = blocks(*(prediction_line(f"e{i}", p) for i, p in enumerate(probabilities)))
    truth = blocks(*(label_line(f"e{i}", y) for i, y in enumerate(labels)))
    return run_quality(captures, truth, job, WINDOWS)


def test_a_metric_past_its_threshold_is_a_violation() -> None:
    result = run()
    assert result.status == "CompletedWithViolations"
    assert result.metrics.values["recall"] == 0.75 and result.metrics.values["false_positive_rate"] == 0.25
    assert [(v.metric, v.comparison, v.value, v.threshold) for v in result.violations] == [
        ("recall", "LessThanThreshold", 0.75, 0.8)]


def test_metrics_within_their_thresholds_complete_cleanly() -> None:
    result = run(job=QualityJob((QualityConstraint("recall", 0.7, "LessThanThreshold"), FPR_MAX), 0.5, min_labels=4))
    assert result.status == "Completed" and result.violations == () and result.evaluated


def test_the_probability_threshold_decides_what_counts_as_fraud() -> None:
    result = run(job=QualityJob((RECALL_MIN,), probability_threshold=0.15, min_labels=4))
    assert result.metrics.values["recall"] == 1.0 and result.status == "Completed"


def test_fewer_labels_than_the_minimum_is_insufficient_data_not_a_violation() -> None:
    result = run(labels=LABELS[:3])
    assert result.status == "InsufficientData" and result.violations == () and not result.evaluated
    assert result.metrics is not None and result.counts.labelled == 3  # computed, not judged
    assert "3 of 8 prediction(s)" in result.reason and "min_labels 4" in result.reason


def test_predictions_without_any_label_are_insufficient_data() -> None:
    result = run(labels=[])
    assert result.status == "InsufficientData" and result.metrics is None and result.counts.unlabelled == 8


def test_no_captured_prediction_fails_as_model_monitor_does() -> None:
    result = run_quality(blocks("junk"), blocks(label_line("e1", 1)), JOB, WINDOWS)
    assert result.status == "Failed" and result.reason.startswith("Job inputs had no data: all 1 capture line(s)")
    assert run_quality([], [], JOB, WINDOWS).reason.startswith("Job inputs had no data: no captured predictions")


def test_a_scheduled_run_evaluates_its_window_shifted_back_by_the_delay_with_labels_until_it_runs() -> None:
    run_window = Window(HOUR, HOUR + timedelta(hours=1))
    windows = QualityWindows.scheduled(run_window, timedelta(hours=24))
    assert windows.capture == Window(HOUR - timedelta(hours=24), HOUR - timedelta(hours=23))
    assert windows.labels == Window(HOUR - timedelta(hours=24), HOUR + timedelta(hours=1))


def test_the_job_of_a_spec_carries_its_thresholds_and_delay() -> None:
    quality = ModelQualitySpec(Schedule("daily", "cron(0 0 ? * * *)", None), 0.4, min_labels=50, label_delay_hours=6,
                               metrics=frozen_map({"recall": QualityThreshold(0.8, "LessThanThreshold")}))
    assert QualityJob.from_spec(quality) == QualityJob((RECALL_MIN,), 0.4, 50, timedelta(hours=6))


def test_statistics_json_is_model_monitors_binary_classification_metrics(tmp_path: Path) -> None:
    written = write_quality_reports(run(), LocalSink(tmp_path), "ep", "ep-model-quality")
    folder = tmp_path / "ep" / "ep-model-quality" / "2024" / "05" / "01" / "12"
    assert written == tuple(str(folder / name) for name in
                            ("statistics.json", "constraint_violations.json", "execution_summary.json"))
    statistics = json.loads((folder / "statistics.json").read_text())
    assert statistics["version"] == 0.0
    assert statistics["dataset"] == {"item_count": 8, "evaluation_time": "2024-05-01T12:00:00Z"}
    section = statistics["binary_classification_metrics"]
    assert section["confusion_matrix"] == {"0": {"0": 3, "1": 1}, "1": {"0": 1, "1": 3}}
    assert section["recall"] == {"value": 0.75, "standard_deviation": "NaN"}  # fewer than 200 labels
    assert list(section)[:4] == ["confusion_matrix", "recall", "precision", "accuracy"]
    assert (
        list(section).index("receiver_operating_characteristic_curve") == list(section).index("false_negative_rate") + 1
    )
    assert set(section["precision_recall_curve"]) == {"precisions", "recalls"}
    assert section["receiver_operating_characteristic_curve"]["true_positive_rates"][-1] == 1.0


def test_violations_json_names_the_metric_and_its_comparison(tmp_path: Path) -> None:
    write_quality_reports(run(), LocalSink(tmp_path), "ep", "s")
    violations = json.loads((tmp_path / "ep/s/2024/05/01/12/constraint_violations.json").read_text())
    assert violations == {
        "violations": [
            {
                "constraint_check_type": "LessThanThreshold",
                "description": "Metric recall with 0.75 was LessThanThreshold 0.8",
                "metric_name": "recall",
            }
        ]
    }


def test_insufficient_data_writes_statistics_and_a_summary_but_no_verdict(tmp_path: Path) -> None:
    written = write_quality_reports(run(labels=LABELS[:3]), LocalSink(tmp_path), "ep", "s")
    assert [Path(path).name for path in written] == ["statistics.json", "execution_summary.json"]
    summary = json.loads(Path(written[1]).read_text())
    assert summary["status"] == "InsufficientData" and summary["records"]["labelled"] == 3
    assert summary["capture_window"] == {"start": "2024-05-01T10:00:00Z", "end": "2024-05-01T11:00:00Z"}
    assert summary["label_window"]["end"] == "2024-05-01T12:00:00Z"


def test_the_summary_lists_each_metric_with_its_threshold(tmp_path: Path) -> None:
    written = write_quality_reports(run(), LocalSink(tmp_path), "ep", "s")
    rows = json.loads(Path(written[-1]).read_text())["metrics"]
    assert rows[0] == {
        "metric": "recall",
        "value": 0.75,
        "standard_deviation": None,
        "threshold": 0.8,
        "comparison_operator": "LessThanThreshold",
        "violated": True,
    }
    assert rows[1]["metric"] == "false_positive_rate" and rows[1]["violated"] is False
    assert {row["metric"] for row in rows} >= {"precision", "auc", "f1", "f2", "accuracy"}


def test_reports_are_the_same_bytes_on_a_rerun(tmp_path: Path) -> None:
    first = [Path(p).read_bytes() for p in write_quality_reports(run(), LocalSink(tmp_path / "a"), "ep", "s")]
    second = [Path(p).read_bytes() for p in write_quality_reports(run(), LocalSink(tmp_path / "b"), "ep", "s")]
    assert first == second


def test_constraints_json_round_trips_and_rejects_what_it_cannot_check() -> None:
    document = constraints_file.to_json((RECALL_MIN, FPR_MAX))
    assert document == {
        "version": 0.0,
        "binary_classification_constraints": {
            "recall": {"threshold": 0.8, "comparison_operator": "LessThanThreshold"},
            "false_positive_rate": {"threshold": 0.5, "comparison_operator": "GreaterThanThreshold"},
        },
    }
    assert constraints_file.from_json(document) == (RECALL_MIN, FPR_MAX)
    bad_operator = {"binary_classification_constraints": {"recall": {"threshold": 0.8, "comparison_operator": "Below"}}}
    with pytest.raises(DocumentError, match="comparison_operator must be one of"):
        constraints_file.from_json(bad_operator)
    regression = {"mse": {"threshold": 1, "comparison_operator": "LessThanThreshold"}}
    with pytest.raises(DocumentError, match="unknown binary classification metric"):
        constraints_file.from_json({"binary_classification_constraints": regression})


def test_or_equal_operators_and_undefined_metrics() -> None:
    at_least = QualityConstraint("recall", 0.75, "LessThanOrEqualToThreshold")
    assert at_least.violated_by(0.75) and not RECALL_MIN.violated_by(0.8)
    assert not RECALL_MIN.violated_by(float("nan"))
