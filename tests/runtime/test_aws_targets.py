"""The client commands on an aws environment, against moto: invoke, and the drift report from S3
reports and CloudWatch alarms."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import boto3
import pytest
from moto import mock_aws

from fraudspec.client.aws import endpoint_caller, runtime_client
from fraudspec.client.http import Request
from fraudspec.client.traffic import make_traffic
from fraudspec.monitoring.engine.baseline import BaselinePaths, load_baseline
from fraudspec.monitoring.engine.execution import run_execution, write_reports
from fraudspec.monitoring.records.blocks import CaptureBlock
from fraudspec.monitoring.records.hours import Window
from fraudspec.monitoring.records.sinks import S3Sink
from fraudspec.reports import drift
from fraudspec.runtime.local import prepare
from fraudspec.spec.load import load_spec

AWS_ENV = """
  dev:
    target: aws
    region: us-east-1
    account: "123456789012"
    bucket: fraud-bucket
"""


@pytest.fixture
def aws_spec(local_project, monkeypatch):
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    path = local_project()
    path.write_text(path.read_text() + AWS_ENV)
    return load_spec(path, "dev")


def test_invoke_goes_through_sagemaker_runtime(aws_spec) -> None:
    with mock_aws():
        status, body = endpoint_caller(runtime_client(aws_spec), aws_spec.names.endpoint)(Request(b"{}"))[:2]
    assert status == 200 and body  # moto answers with a canned body; the call shape is what is tested


def test_drift_report_from_s3_reports_and_cloudwatch(aws_spec, monkeypatch) -> None:
    local = load_spec(aws_spec.path, "local")
    prepare(local, progress=False)
    dev_monitoring = aws_spec.workspace.monitoring
    dev_monitoring.mkdir(parents=True)
    for name in ("statistics.json", "constraints.json"):  # the same baseline, as dev's build would write it
        (dev_monitoring / name).write_bytes((local.workspace.monitoring / name).read_bytes())
    lines = [json.dumps({"captureData": {"endpointInput": {"observedContentType": "application/json", "mode": "INPUT",
                                                           "data": request.body.decode(), "encoding": "JSON"}},
                         "eventMetadata": {"eventId": str(i), "inferenceTime": "2026-11-22T05:10:00Z"},
                         "eventVersion": "0"})
             for i, request in enumerate(make_traffic(aws_spec, 300, seed=3, drift="amount=x5").requests)]
    paths = BaselinePaths.of(aws_spec)
    baseline, constraints = load_baseline(paths.statistics, paths.constraints, "dev")
    window = Window(datetime(2026, 11, 22, 5, tzinfo=timezone.utc), datetime(2026, 11, 22, 6, tzinfo=timezone.utc))
    result = run_execution([CaptureBlock("s3", ("\n".join(lines) + "\n").encode())], baseline, constraints, window,
                           aws_spec.model.feature_names)
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="fraud-bucket")
        write_reports(result, S3Sink(s3, "fraud-bucket", aws_spec.names.reports_prefix), aws_spec.names.endpoint,
                      aws_spec.names.monitoring_schedule)
        cloudwatch = boto3.client("cloudwatch", region_name="us-east-1")
        name = f"{aws_spec.names.base}-drift-amount"
        cloudwatch.put_metric_alarm(AlarmName=name, MetricName="feature_baseline_drift_amount", Namespace="n",
                                    Statistic="Maximum", Period=3600, EvaluationPeriods=1, Threshold=0.05,
                                    ComparisonOperator="GreaterThanThreshold")
        cloudwatch.set_alarm_state(AlarmName=name, StateValue="ALARM", StateReason="drift")
        # moto does not implement alarm history; CloudWatch's documented item shape stands in for it.
        item = {
            "Timestamp": datetime(2026, 11, 22, 6, 1, tzinfo=timezone.utc),
            "HistorySummary": "Alarm updated from OK to ALARM",
            "HistoryData": json.dumps({"oldState": {"stateValue": "OK"}, "newState": {"stateValue": "ALARM"}}),
        }
        monkeypatch.setattr(drift, "_state_updates", lambda client, alarm: [item])
        report = drift.drift_report(aws_spec)
    assert report.summary.status == "CompletedWithViolations"
    assert {v.feature_name for v in report.violations} == {"amount"}
    assert report.alarm_states == {name: "ALARM"}
    assert [(e.alarm, e.old, e.new) for e in report.alarm_history] == [(name, "OK", "ALARM")]
