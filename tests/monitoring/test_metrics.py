"""CloudWatch metric data: Model Monitor's names, typed values, put_metric_data requests CloudWatch accepts."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import boto3
import pytest
from moto import mock_aws

from fraudspec.monitoring.engine.constraints import ConfigOverride
from fraudspec.monitoring.engine.execution import run_execution
from fraudspec.monitoring.engine.metrics import MetricDatum, StatisticSet, metric_data, put_metric_data_requests
from tests.monitoring.conftest import HOUR, WINDOW, baseline_of, blocks, capture_line

NAMESPACE = "aws/sagemaker/Endpoints/data-metrics"


@pytest.fixture
def result():
    statistics, constraints = baseline_of(["n", "c"], [["1", "a"], ["2", "a"], ["3", "b"], ["4", "b"]], ["c"])
    return run_execution(blocks(capture_line("2,a"), capture_line(",b"), capture_line("6,b")),
                         statistics, constraints, WINDOW, ["n", "c"])


def test_each_feature_gets_drift_non_null_and_numeric_data(result) -> None:
    data = {d.name: d for d in metric_data(result)}
    assert list(data) == ["feature_baseline_drift_n", "feature_non_null_n", "feature_data_n",
                          "feature_baseline_drift_c", "feature_non_null_c"]
    assert data["feature_non_null_n"].value == pytest.approx(2 / 3)
    assert data["feature_data_n"].statistics == StatisticSet(sample_count=2.0, sum=8.0, minimum=2.0, maximum=6.0)
    assert data["feature_baseline_drift_n"].value == result.drifts[0].distance


def test_emit_metrics_disabled_for_a_feature_leaves_it_out() -> None:
    statistics, constraints = baseline_of(["n", "m"], [["1", "1"], ["2", "2"]])
    quiet = dataclasses.replace(constraints.features[1], overrides=ConfigOverride(emit_metrics=False))
    constraints = dataclasses.replace(constraints, features=(constraints.features[0], quiet))
    outcome = run_execution(blocks(capture_line("1,1")), statistics, constraints, WINDOW, ["n", "m"])
    assert all(d.name.endswith("_n") for d in metric_data(outcome))


def test_a_failed_execution_emits_nothing(result) -> None:
    statistics, constraints = baseline_of(["n"], [["1"]])
    assert metric_data(run_execution([], statistics, constraints, WINDOW, ["n"])) == ()


def test_requests_carry_dimensions_and_are_split_into_twenties() -> None:
    data = tuple(MetricDatum(f"feature_non_null_f{i}", 1.0) for i in range(45))
    data += (MetricDatum("feature_data_x", statistics=StatisticSet(3.0, 6.0, 1.0, 3.0)),)
    requests = put_metric_data_requests(data, NAMESPACE, "ep", "sched", HOUR)
    assert [len(r["MetricData"]) for r in requests] == [20, 20, 6]
    first, last = requests[0]["MetricData"][0], requests[-1]["MetricData"][-1]
    assert first == {"MetricName": "feature_non_null_f0", "Dimensions": [{"Name": "Endpoint", "Value": "ep"},
                     {"Name": "MonitoringSchedule", "Value": "sched"}], "Timestamp": HOUR, "Unit": "None", "Value": 1.0}
    assert last["StatisticValues"] == {"SampleCount": 3.0, "Sum": 6.0, "Minimum": 1.0, "Maximum": 3.0}
    assert all(r["Namespace"] == NAMESPACE for r in requests)


@mock_aws
def test_cloudwatch_accepts_the_requests(result) -> None:
    cloudwatch = boto3.client("cloudwatch", region_name="us-east-1")
    for request in put_metric_data_requests(metric_data(result), NAMESPACE, "ep", "sched", WINDOW.end):
        cloudwatch.put_metric_data(**request)
    names = {m["MetricName"] for m in cloudwatch.list_metrics(Namespace=NAMESPACE)["Metrics"]}
    assert "feature_baseline_drift_n" in names and "feature_data_n" in names
    points = cloudwatch.get_metric_statistics(
        Namespace=NAMESPACE,
        MetricName="feature_data_n",
        StartTime=WINDOW.start,
        EndTime=WINDOW.end + timedelta(hours=1),
        Period=3600,
        Statistics=["Maximum"],
        Dimensions=[{"Name": "Endpoint", "Value": "ep"}, {"Name": "MonitoringSchedule", "Value": "sched"}],
    )["Datapoints"]
    assert [p["Maximum"] for p in points] == [6.0]
