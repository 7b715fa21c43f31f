"""The monitoring Lambda's handler, in-process, against moto S3 and CloudWatch.

The baseline is computed from a known table; the captured hour holds `amount` values far from it,
so the run must report drift for amount (and not for txn_count_1h) in Model Monitor's layout and
publish the drift metrics the alarms watch.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from deploy_support import BUCKET

from fraudspec.monitoring.engine import constraints as constraints_file
from fraudspec.monitoring.engine import statistics as statistics_file
from fraudspec.monitoring.engine.baseline import compute_baseline
from fraudspec.monitoring.engine.table import TableBuilder
from fraudspec.monitoring.jobs import lambda_entry as monitor_lambda
from fraudspec.monitoring.jobs.settings import Settings
from fraudspec.spec.model import DriftSpec, MonitoringSpec, Schedule

ENDPOINT, VARIANT, SCHEDULE = "rc-demo-fraud-dev", "AllTraffic", "rc-demo-fraud-dev-data-quality"
NAMESPACE = "aws/sagemaker/Endpoints/data-metrics"
FEATURES = ("txn_count_1h", "amount")
SCHEDULED = datetime(2026, 3, 1, 10, 0, tzinfo=timezone.utc)


def _settings() -> Settings:
    return Settings(
        statistics_uri=f"s3://{BUCKET}/baselines/statistics.json",
        constraints_uri=f"s3://{BUCKET}/baselines/constraints.json",
        capture_uri=f"s3://{BUCKET}/capture", reports_uri=f"s3://{BUCKET}/reports",
        endpoint_name=ENDPOINT, variant_name=VARIANT, schedule_name=SCHEDULE, metric_namespace=NAMESPACE,
        emit_metrics=True, window_seconds=3600, features=FEATURES,
    )


def _baseline(s3) -> None:
    builder = TableBuilder(list(FEATURES), ())
    for i in range(200):
        builder.add_positional([str(i % 5), f"{10 + (i % 50) * 0.5:.2f}"])
    monitoring = MonitoringSpec(schedule=Schedule("hourly", "cron(0 * ? * * *)", "cron(0 * ? * * *)"),
                                drift=DriftSpec(threshold=0.1))
    statistics, constraints = compute_baseline(builder.build(), [], monitoring)
    s3.put_object(Bucket=BUCKET, Key="baselines/statistics.json",
                  Body=json.dumps(statistics_file.to_json(statistics)).encode())
    s3.put_object(Bucket=BUCKET, Key="baselines/constraints.json",
                  Body=json.dumps(constraints_file.to_json(constraints)).encode())


def _capture(s3, hour: datetime, rows: list[tuple[int, float]]) -> None:
    lines = []
    for i, (count, amount) in enumerate(rows):
        lines.append(json.dumps({
            "captureData": {"endpointInput": {"observedContentType": "application/json", "mode": "INPUT",
                                              "data": json.dumps({"txn_count_1h": count, "amount": amount}),
                                              "encoding": "JSON"}},
            "eventMetadata": {"eventId": f"event-{i}", "inferenceTime": (hour + timedelta(minutes=1)).isoformat()},
            "eventVersion": "0"}))
    key = f"capture/{ENDPOINT}/{VARIANT}/{hour:%Y/%m/%d/%H}/01-00-000-test.jsonl"
    s3.put_object(Bucket=BUCKET, Key=key, Body="\n".join(lines).encode() + b"\n")


def test_scheduled_run_writes_reports_and_drift_metrics(aws, monkeypatch: pytest.MonkeyPatch) -> None:
    s3, cloudwatch = aws
    _baseline(s3)
    _capture(s3, SCHEDULED - timedelta(hours=1), [(i % 5, 500.0 + i) for i in range(100)])
    _capture(s3, SCHEDULED, [(0, 1.0)])  # the next hour: outside the window
    for name, value in _settings().to_environment().items():
        monkeypatch.setenv(name, value)

    outcome = monitor_lambda.handler({"scheduled_time": "2026-03-01T10:00:00Z"}, None)

    assert outcome["status"] == "CompletedWithViolations"
    assert outcome["window"] == {"start": "2026-03-01T09:00:00Z", "end": "2026-03-01T10:00:00Z"}
    folder = f"reports/{ENDPOINT}/{SCHEDULE}/2026/03/01/10"
    assert sorted(outcome["reports"]) == sorted(f"s3://{BUCKET}/{folder}/{name}" for name in
                                                ("statistics.json", "constraint_violations.json",
                                                 "execution_summary.json"))
    violations = json.loads(s3.get_object(Bucket=BUCKET, Key=f"{folder}/constraint_violations.json")["Body"].read())
    drifted = {v["feature_name"] for v in violations["violations"]
               if v["constraint_check_type"] == "baseline_drift_check"}
    assert drifted == {"amount"}
    statistics = json.loads(s3.get_object(Bucket=BUCKET, Key=f"{folder}/statistics.json")["Body"].read())
    assert statistics["dataset"]["item_count"] == 100  # the 10:00 hour's record is not in the window

    dimensions = [{"Name": "Endpoint", "Value": ENDPOINT}, {"Name": "MonitoringSchedule", "Value": SCHEDULE}]
    listed = cloudwatch.list_metrics(Namespace=NAMESPACE)["Metrics"]
    assert {m["MetricName"] for m in listed} >= {"feature_baseline_drift_amount", "feature_baseline_drift_txn_count_1h"}
    assert all(m["Dimensions"] == dimensions for m in listed)
    amount = cloudwatch.get_metric_statistics(
        Namespace=NAMESPACE, MetricName="feature_baseline_drift_amount", Dimensions=dimensions,
        StartTime=SCHEDULED - timedelta(hours=2), EndTime=SCHEDULED + timedelta(hours=1), Period=3600,
        Statistics=["Maximum"])["Datapoints"]
    assert len(amount) == 1 and amount[0]["Maximum"] > 0.5


def test_a_quiet_window_fails_like_model_monitor_without_raising(aws, monkeypatch: pytest.MonkeyPatch) -> None:
    s3, cloudwatch = aws
    _baseline(s3)
    outcome = monitor_lambda.run(_settings(), monitor_lambda.window_for({}, 3600, SCHEDULED + timedelta(minutes=7)),
                                 s3, cloudwatch)
    assert outcome.status == "Failed" and outcome.metric_requests == 0
    assert [r.rsplit("/", 1)[1] for r in outcome.reports] == ["execution_summary.json"]
    assert cloudwatch.list_metrics(Namespace=NAMESPACE)["Metrics"] == []


def test_settings_round_trip_through_the_environment() -> None:
    settings = _settings()
    assert Settings.from_environment(settings.to_environment()) == settings
    with pytest.raises(KeyError, match="FRAUDSPEC_FEATURES"):
        Settings.from_environment({k: v for k, v in settings.to_environment().items() if k != "FRAUDSPEC_FEATURES"})
