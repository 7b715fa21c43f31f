"""The monitoring Lambda's model-quality job, in-process, against moto S3 and CloudWatch: captured
predictions joined to ground truth, Model Monitor's reports in S3 and the metrics the alarms watch."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timedelta, timezone

import pytest
from deploy_support import BUCKET

from fraudspec.monitoring.jobs import lambda_entry as monitor_lambda
from fraudspec.monitoring.jobs.settings import Settings
from fraudspec.monitoring.quality.constraints import QualityConstraint
from fraudspec.monitoring.quality.execution import QualityJob
from fraudspec.monitoring.records.label_store import GroundTruthLabel, write_ground_truth

ENDPOINT, VARIANT = "rc-demo-fraud-dev", "AllTraffic"
QUALITY_SCHEDULE = "rc-demo-fraud-dev-model-quality"
MODEL_NAMESPACE = "aws/sagemaker/Endpoints/model-metrics"
SCHEDULED = datetime(2026, 3, 1, 10, 0, tzinfo=timezone.utc)
HOUR = SCHEDULED - timedelta(hours=1)


def _settings() -> Settings:
    job = QualityJob((QualityConstraint("recall", 0.8, "LessThanThreshold"),), 0.5, min_labels=50)
    return Settings(
        statistics_uri=f"s3://{BUCKET}/baselines/statistics.json", constraints_uri=f"s3://{BUCKET}/baselines/c.json",
        capture_uri=f"s3://{BUCKET}/capture", reports_uri=f"s3://{BUCKET}/reports", endpoint_name=ENDPOINT,
        variant_name=VARIANT, schedule_name=f"{ENDPOINT}-data-quality", metric_namespace="data", emit_metrics=True,
        window_seconds=3600, features=("amount",), quality_job=json.dumps(job.to_json()),
        ground_truth_uri=f"s3://{BUCKET}/ground-truth", quality_schedule_name=QUALITY_SCHEDULE,
        model_metric_namespace=MODEL_NAMESPACE, quality_window_seconds=3600,
    )


def _traffic(s3, labels: list[int], probabilities: list[float]) -> None:
    lines = [json.dumps({
        "captureData": {"endpointOutput": {"observedContentType": "application/json", "mode": "OUTPUT",
                                           "data": json.dumps({"is_fraud": int(p >= 0.5), "fraud_probability": p,
                                                               "confidence": max(p, 1 - p)}), "encoding": "JSON"}},
        "eventMetadata": {"eventId": f"e-{i}", "inferenceId": f"req-{i}", "inferenceTime": HOUR.isoformat()},
        "eventVersion": "0"}) for i, p in enumerate(probabilities)]
    s3.put_object(Bucket=BUCKET, Key=f"capture/{ENDPOINT}/{VARIANT}/{HOUR:%Y/%m/%d/%H}/00-00-000-x.jsonl",
                  Body="\n".join(lines).encode() + b"\n")
    write_ground_truth(
        f"s3://{BUCKET}/ground-truth",
        [GroundTruthLabel(f"req-{i}", label, HOUR + timedelta(minutes=5)) for i, label in enumerate(labels)],
        s3,
    )


def test_model_quality_job_reports_violations_and_emits_metrics(aws, monkeypatch) -> None:
    s3, cloudwatch = aws
    labels = [1] * 40 + [0] * 60
    probabilities = [0.9] * 20 + [0.1] * 20 + [0.1] * 60  # half the fraud missed: recall 0.5
    _traffic(s3, labels, probabilities)
    for name, value in _settings().to_environment().items():
        monkeypatch.setenv(name, value)
    outcome = monitor_lambda.handler({"scheduled_time": "2026-03-01T10:00:00Z", "job": "model_quality"}, None)
    assert outcome["status"] == "CompletedWithViolations" and outcome["metric_requests"] >= 1
    folder = f"reports/{ENDPOINT}/{QUALITY_SCHEDULE}/2026/03/01/10"
    violations = json.loads(s3.get_object(Bucket=BUCKET, Key=f"{folder}/constraint_violations.json")["Body"].read())
    assert [v["metric_name"] for v in violations["violations"]] == ["recall"]
    statistics = json.loads(s3.get_object(Bucket=BUCKET, Key=f"{folder}/statistics.json")["Body"].read())
    assert statistics["binary_classification_metrics"]["recall"]["value"] == 0.5
    names = {m["MetricName"] for m in cloudwatch.list_metrics(Namespace=MODEL_NAMESPACE)["Metrics"]}
    assert {"recall", "auc", "precision"} <= names


def test_settings_round_trip_and_optional_quality() -> None:
    settings = _settings()
    assert Settings.from_environment(settings.to_environment()) == settings
    plain = dataclasses.replace(
        settings,
        quality_job="",
        ground_truth_uri="",
        quality_schedule_name="",
        model_metric_namespace="",
        quality_window_seconds=0,
    )
    environment = plain.to_environment()
    assert not any("QUALITY" in key or "GROUND_TRUTH" in key for key in environment)
    assert Settings.from_environment(environment) == plain and not plain.has_model_quality


def test_quality_job_without_settings_is_an_error(aws, monkeypatch) -> None:
    plain = dataclasses.replace(_settings(), quality_job="")
    for name, value in plain.to_environment().items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match="no model-quality settings"):
        monitor_lambda.handler({"scheduled_time": "2026-03-01T10:00:00Z", "job": "model_quality"}, None)
