"""CloudWatch's alarm semantics: thresholds, M out of N, missing data treatments."""

from __future__ import annotations

import pytest

from fraudspec.monitoring.alarms.evaluate import evaluate, reason
from tests.monitoring.conftest import alarm_on

DRIFT = alarm_on("feature_baseline_drift_amount", 0.1, name="drift-amount")


@pytest.mark.parametrize("points, expected", [
    ([0.05], "OK"),
    ([0.1], "OK"),  # GreaterThanThreshold: equal is not breaching
    ([0.11], "ALARM"),
    ([0.5, 0.05], "OK"),  # only the newest period counts with evaluation_periods 1
    ([None], "INSUFFICIENT_DATA"),
    ([], "INSUFFICIENT_DATA"),
])
def test_single_period(points, expected) -> None:
    assert evaluate(DRIFT, points, "OK") == expected


def test_m_out_of_n() -> None:
    alarm = alarm_on("m", 0.1, evaluation_periods=3, datapoints_to_alarm=2)
    assert evaluate(alarm, [0.2, 0.0, 0.0], "OK") == "OK"
    assert evaluate(alarm, [0.2, 0.0, 0.3], "OK") == "ALARM"
    assert evaluate(alarm, [0.9, 0.9, 0.0, 0.0, 0.3], "ALARM") == "OK", "older periods fall out of the window"


@pytest.mark.parametrize("treatment, current, expected", [
    ("missing", "ALARM", "INSUFFICIENT_DATA"),
    ("ignore", "ALARM", "ALARM"),
    ("breaching", "OK", "ALARM"),
    ("notBreaching", "ALARM", "OK"),
])
def test_all_missing(treatment, current, expected) -> None:
    alarm = alarm_on("m", 0.1, evaluation_periods=2, datapoints_to_alarm=2, treat_missing_data=treatment)
    assert evaluate(alarm, [None, None], current) == expected


def test_partially_missing_counts_only_what_treatment_says() -> None:
    base = dict(metric="m", threshold=0.1, evaluation_periods=3, datapoints_to_alarm=2)
    assert evaluate(alarm_on(**base), [0.5, None, None], "OK") == "OK"
    assert evaluate(alarm_on(**base, treat_missing_data="breaching"), [0.5, None, 0.0], "OK") == "ALARM"


def test_less_than_comparison_for_quality_metrics() -> None:
    recall = alarm_on("recall", 0.8, "LessThanThreshold")
    assert evaluate(recall, [0.7], "OK") == "ALARM" and evaluate(recall, [0.85], "ALARM") == "OK"


def test_reason_names_metric_values_and_threshold() -> None:
    text = reason(DRIFT, [0.05, 0.31], "ALARM")
    assert "feature_baseline_drift_amount" in text and "0.31" in text and "> 0.1" in text and text.endswith("now ALARM")
