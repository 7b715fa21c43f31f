"""CloudWatch data of a model-quality execution: Model Monitor's metric names, only for a judged run."""

from __future__ import annotations

from datetime import timedelta

import boto3
from moto import mock_aws

from fraudspec.monitoring.engine.metrics import put_metric_data_requests
from fraudspec.monitoring.quality.binary import SCALARS
from fraudspec.monitoring.quality.constraints import QualityConstraint
from fraudspec.monitoring.quality.execution import QualityJob, QualityWindows, run_quality
from fraudspec.monitoring.quality.metrics import metric_data
from fraudspec.monitoring.records.hours import Window
from fraudspec.spec.names import resource_names
from tests.monitoring.quality.conftest import HOUR, blocks, label_line, prediction_line

WINDOWS = QualityWindows(Window(HOUR, HOUR + timedelta(hours=1)), Window(HOUR, HOUR + timedelta(hours=1)))
JOB = QualityJob((QualityConstraint("recall", 0.9, "LessThanThreshold"),), 0.5, min_labels=3)


def run(labels: list[int]):
    captures = blocks(*(prediction_line(f"e{i}", p) for i, p in enumerate([0.9, 0.2, 0.7, 0.4])))
    return run_quality(captures, blocks(*(label_line(f"e{i}", y) for i, y in enumerate(labels))), JOB, WINDOWS)


def test_every_defined_metric_is_emitted_under_its_statistics_name() -> None:
    result = run([1, 0, 1, 0])
    data = {datum.name: datum.value for datum in metric_data(result)}
    assert list(data) == list(SCALARS)
    assert data["recall"] == 1.0 and data["false_positive_rate"] == 0.0


def test_undefined_metrics_are_left_out() -> None:
    data = {datum.name for datum in metric_data(run([0, 0, 0, 0]))}
    assert "recall" not in data and "auc" not in data and "false_positive_rate" in data


def test_a_run_that_judged_nothing_emits_nothing() -> None:
    insufficient = run([1, 0])
    assert insufficient.status == "InsufficientData" and metric_data(insufficient) == ()


@mock_aws
def test_cloudwatch_accepts_the_requests_in_model_monitors_namespace() -> None:
    names = resource_names("rc", "project-a", "fraud-detection", "dev")
    requests = put_metric_data_requests(metric_data(run([1, 0, 0, 0])), names.model_metric_namespace, names.endpoint,
                                        names.model_quality_schedule, WINDOWS.labels.end)
    cloudwatch = boto3.client("cloudwatch", region_name="us-east-1")
    for request in requests:
        cloudwatch.put_metric_data(**request)
    listed = cloudwatch.list_metrics(Namespace="aws/sagemaker/Endpoints/model-metrics", MetricName="recall")["Metrics"]
    assert listed[0]["Dimensions"] == [{"Name": "Endpoint", "Value": names.endpoint},
                                       {"Name": "MonitoringSchedule", "Value": names.model_quality_schedule}]
    assert names.model_quality_schedule == "rc-project-a-fraud-detection-dev-model-quality"
