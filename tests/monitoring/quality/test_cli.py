"""`fraudspec monitor quality`: arguments, the printed table, hints, and user errors."""

from __future__ import annotations

import argparse
from datetime import datetime, timezone

import pytest

from fraudspec.cli.commands.quality import add_quality_arguments, run_quality_command
from fraudspec.core.errors import FraudspecError
from fraudspec.monitoring.records.hours import hour_path
from fraudspec.spec.load import load_spec
from tests.monitoring.quality.conftest import label_line, prediction_line, write_lines

NOW = datetime.now(timezone.utc)


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_quality_arguments(parser)
    return parser.parse_args(list(argv))


def test_it_prints_the_metric_table_and_writes_reports(quality_spec_path, capsys) -> None:
    spec = load_spec(quality_spec_path, "local")
    write_lines(spec.workspace.capture / spec.names.endpoint / spec.endpoint.variant / hour_path(NOW),
                [prediction_line(f"e{i}", p) for i, p in enumerate([0.9, 0.2, 0.3, 0.1, 0.6, 0.05, 0.15])])
    write_lines(spec.workspace.ground_truth / hour_path(NOW),
                [label_line(f"e{i}", y) for i, y in enumerate([1, 1, 0, 0, 0, 0, 0])])
    # CompletedWithViolations exits 3: a CI job can gate on it
    assert run_quality_command(parse("--spec", str(quality_spec_path), "--start", "earliest")) == 3
    out = capsys.readouterr().out
    assert "Model-quality execution: CompletedWithViolations" in out
    assert "7 of 7 prediction(s) labelled" in out and "TN 4  FP 1  FN 1  TP 1" in out
    lines = out.splitlines()
    header = next(line for line in lines if line.startswith("metric"))
    assert header.split() == ["metric", "value", "std", "threshold", "comparison", "violated"]
    recall = next(line for line in lines if line.startswith("recall "))
    assert recall.split() == ["recall", "0.5000", "-", "0.6", "LessThanThreshold", "VIOLATED"]
    fpr = next(line for line in lines if line.startswith("false_positive_rate "))
    assert fpr.split()[-1] == "no"
    assert "Metric recall with 0.5 was LessThanThreshold 0.6" in out
    assert "execution_summary.json" in out


def test_unlabelled_predictions_get_a_hint_on_where_labels_go(quality_spec_path, capsys) -> None:
    spec = load_spec(quality_spec_path, "local")
    write_lines(spec.workspace.capture / spec.names.endpoint / spec.endpoint.variant / hour_path(NOW),
                [prediction_line("e1", 0.9)])
    assert run_quality_command(parse("--spec", str(quality_spec_path), "--start", "earliest")) == 0
    out = capsys.readouterr().out
    assert "InsufficientData" in out and f"labels go under {spec.workspace.ground_truth}" in out


def test_an_empty_default_window_suggests_earliest(quality_spec_path, capsys) -> None:
    assert run_quality_command(parse("--spec", str(quality_spec_path))) == 3  # Failed
    out = capsys.readouterr().out
    assert "Failed" in out and "--start earliest" in out


def test_a_spec_without_model_quality_and_a_bad_time_are_user_errors(spec_path, quality_spec_path) -> None:
    with pytest.raises(FraudspecError, match="not configured"):
        run_quality_command(parse("--spec", str(spec_path)))
    with pytest.raises(FraudspecError, match="is not a time"):
        run_quality_command(parse("--spec", str(quality_spec_path), "--start", "yesterday"))
