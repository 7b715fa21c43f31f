"""What the rendered Terraform says, checked rule by rule (the goldens show it whole)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

import pytest
from render_variants import FIXTURE_ARTIFACTS, SPECS, VARIANTS, make_project, render_spec, render_variant

from fraudspec.core.errors import FraudspecError
from fraudspec.lock.file import lock_path, read_lock, update_lock
from fraudspec.lock.model import LockEntry
from fraudspec.monitoring.alarms.definitions import vcpus
from fraudspec.render import render
from fraudspec.render.artifacts import artifacts_from_lock
from fraudspec.spec.schedule import translate, window_seconds

SERVERLESS, REALTIME, MINIMAL = VARIANTS[:3]  # the fourth, firehose, has tests of its own


def _resources(variant, tmp_path: Path) -> dict:
    return json.loads(render_variant(variant, tmp_path)["fraudspec.tf.json"])["resource"]


@pytest.mark.parametrize(("source", "seconds"), [
    ("hourly", 3600), ("every 6 hours", 21600), ("daily at 3", 86400), ("rate(15 minutes)", 900),
    ("cron(0 9 ? * MON-FRI *)", 86400), ("cron(30 8 ? * 2 *)", 7 * 86400),
])
def test_monitoring_window_is_the_shortest_gap_between_runs(source: str, seconds: int) -> None:
    assert window_seconds(translate(source)) == seconds


@pytest.mark.parametrize(("instance", "cores"), [
    ("ml.m5.large", 2), ("ml.m5.xlarge", 4), ("ml.c5.18xlarge", 72), ("ml.t2.medium", 2), ("ml.c8g.medium", 1),
])
def test_vcpus_from_the_instance_size(instance: str, cores: int) -> None:
    assert vcpus(instance) == cores


def test_serverless_endpoint_captures_in_its_handler(tmp_path: Path) -> None:
    resources = _resources(SERVERLESS, tmp_path)
    config = resources["aws_sagemaker_endpoint_configuration"]["endpoint"]
    assert "data_capture_config" not in config
    assert config["lifecycle"] == {"create_before_destroy": True}
    assert config["name_prefix"] == "rc-project-a-fraud-detection-test-"
    environment = resources["aws_sagemaker_model"]["model"]["primary_container"][0]["environment"]
    assert environment["FRAUDSPEC_CAPTURE_DESTINATION"] == \
        "s3://acme-sm-rc-project-a/fraudspec/fraud-detection/test/capture"
    assert environment["FRAUDSPEC_CAPTURE_SAMPLING_PERCENT"] == "50"
    assert environment["FRAUDSPEC_ENDPOINT_NAME"] == "rc-project-a-fraud-detection-test"


def test_realtime_endpoint_uses_native_capture_and_scales(tmp_path: Path) -> None:
    resources = _resources(REALTIME, tmp_path)
    capture = resources["aws_sagemaker_endpoint_configuration"]["endpoint"]["data_capture_config"][0]
    assert capture["enable_capture"] is True
    assert capture["kms_key_id"].startswith("arn:aws:kms:eu-west-1:")
    assert [o["capture_mode"] for o in capture["capture_options"]] == ["Input", "Output"]
    assert resources["aws_sagemaker_model"]["model"]["enable_network_isolation"] is True
    target = resources["aws_appautoscaling_target"]["endpoint"]
    assert (target["min_capacity"], target["max_capacity"]) == (2, 4)
    assert target["resource_id"] == \
        "endpoint/${aws_sagemaker_endpoint.endpoint.name}/variant/AllTraffic"
    assert resources["aws_cloudwatch_metric_alarm"]["cpu"]["threshold"] == 70 * 4
    schedule = resources["aws_sagemaker_monitoring_schedule"]["monitor"]["monitoring_schedule_config"][0]
    assert schedule["schedule_config"] == [{"schedule_expression": "cron(0 3 ? * * *)"}]
    job = resources["aws_sagemaker_data_quality_job_definition"]["monitor"]
    assert job["data_quality_app_specification"][0]["environment"] == {"publish_cloudwatch_metrics": "Enabled"}
    assert "aws_lambda_function" not in resources


def test_drift_alarms_follow_each_features_threshold(tmp_path: Path) -> None:
    alarms = _resources(SERVERLESS, tmp_path)["aws_cloudwatch_metric_alarm"]
    thresholds = {name: alarm["threshold"] for name, alarm in alarms.items() if name.startswith("drift_")}
    assert thresholds == {"drift_txn_count_1h": 0.1, "drift_amount": 0.05, "drift_merchant_country": 0.2}
    amount = alarms["drift_amount"]
    assert amount["metric_name"] == "feature_baseline_drift_amount"
    assert amount["period"] == 6 * 3600
    assert amount["dimensions"] == {"Endpoint": "rc-project-a-fraud-detection-test",
                                    "MonitoringSchedule": "rc-project-a-fraud-detection-test-data-quality"}
    assert alarms["model_latency"]["threshold"] == 1000 * 1000  # microseconds
    assert sorted(amount["alarm_actions"]) == ["${aws_sns_topic.alerts.arn}",
                                               "arn:aws:sns:ap-southeast-1:123456789012:ops-pager"]


def test_model_quality_has_its_schedule_alarms_and_ground_truth_access(tmp_path: Path) -> None:
    document = json.loads(render_variant(SERVERLESS, tmp_path)["fraudspec.tf.json"])
    resources = document["resource"]
    schedule = resources["aws_scheduler_schedule"]["model_quality"]
    assert schedule["schedule_expression"] == "cron(0 2 ? * * *)"
    assert json.loads(schedule["target"][0]["input"].replace("<aws.scheduler.scheduled-time>", "T")) == \
        {"scheduled_time": "T", "job": "model_quality"}
    alarms = resources["aws_cloudwatch_metric_alarm"]
    recall = alarms["model_quality_recall"]
    assert (recall["metric_name"], recall["comparison_operator"], recall["threshold"]) == \
        ("recall", "LessThanThreshold", 0.7)
    assert recall["namespace"] == "aws/sagemaker/Endpoints/model-metrics"
    assert recall["dimensions"]["MonitoringSchedule"] == "rc-project-a-fraud-detection-test-model-quality"
    assert alarms["model_quality_false_positive_rate"]["comparison_operator"] == "GreaterThanThreshold"
    variables = resources["aws_lambda_function"]["monitor"]["environment"][0]["variables"]
    job = json.loads(variables["FRAUDSPEC_QUALITY_JOB"])
    assert job["label_delay_hours"] == 24 and variables["FRAUDSPEC_QUALITY_WINDOW_SECONDS"] == "86400"
    policy = document["data"]["aws_iam_policy_document"]["monitor"]["statement"]
    sids = {statement["sid"]: statement for statement in policy}
    assert sids["ReadGroundTruth"]["resources"] == \
        ["arn:aws:s3:::acme-sm-rc-project-a/fraudspec/fraud-detection/test/ground-truth/*"]
    assert sids["PutMonitoringMetrics"]["condition"][0]["values"] == \
        ["aws/sagemaker/Endpoints/data-metrics", "aws/sagemaker/Endpoints/model-metrics"]


def test_monitoring_job_settings_come_from_the_spec(tmp_path: Path) -> None:
    spec = make_project(tmp_path, SPECS / REALTIME.spec_file, REALTIME.env)
    spec = dataclasses.replace(spec, monitoring=dataclasses.replace(
        spec.monitoring, job_instance_type="ml.c5.2xlarge", job_volume_gb=50, log_retention_days=90))
    resources = json.loads(render_spec(spec)["fraudspec.tf.json"])["resource"]
    resources_config = resources["aws_sagemaker_data_quality_job_definition"]["monitor"]["job_resources"][0]
    cluster = resources_config["cluster_config"][0]
    assert (cluster["instance_type"], cluster["volume_size_in_gb"]) == ("ml.c5.2xlarge", 50)
    serverless = make_project(tmp_path / "serverless", SPECS / SERVERLESS.spec_file, SERVERLESS.env)
    serverless = dataclasses.replace(serverless, monitoring=dataclasses.replace(serverless.monitoring,
                                                                                 log_retention_days=90))
    log_group = json.loads(render_spec(serverless)["fraudspec.tf.json"])["resource"]["aws_cloudwatch_log_group"]
    assert log_group["monitor"]["retention_in_days"] == 90


def test_a_webhook_url_from_the_environment_never_reaches_the_files(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("FRAUD_ALERTS_WEBHOOK", "https://hooks.example/secret-token")
    rendered = render_variant(SERVERLESS, tmp_path)
    assert not any("secret-token" in text for text in rendered.values())
    document = json.loads(rendered["fraudspec.tf.json"])
    assert document["variable"]["webhook_fraud_alerts_webhook"]["sensitive"] is True
    subscriptions = document["resource"]["aws_sns_topic_subscription"]
    assert {s["protocol"] for s in subscriptions.values()} == {"email", "https"}
    assert "${var.webhook_fraud_alerts_webhook}" in {s["endpoint"] for s in subscriptions.values()}


def test_every_resource_is_tagged_by_the_provider(tmp_path: Path) -> None:
    providers = json.loads(render_variant(SERVERLESS, tmp_path)["providers.tf.json"])["provider"]["aws"]
    tags = providers["default_tags"][0]["tags"]
    model_digest = hashlib.sha256(FIXTURE_ARTIFACTS["model"]).hexdigest()
    assert tags == {"CostCenter": "fraud-ml", "Owner": "fraud-team", "Team": "rc", "Project": "project-a",
                    "Model": "fraud-detection", "Environment": "test", "Version": model_digest[:12]}
    assert providers["allowed_account_ids"] == ["123456789012"]


def test_a_spec_without_an_account_uses_the_callers(tmp_path: Path) -> None:
    document = json.loads(render_variant(MINIMAL, tmp_path)["fraudspec.tf.json"])
    assert "aws_caller_identity" in document["data"]
    key_policy = json.dumps(document["data"]["aws_iam_policy_document"]["key"])
    assert "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" in key_policy


def test_state_backend_is_s3_with_a_key_per_environment_and_locking(tmp_path: Path) -> None:
    backend = json.loads(render_variant(REALTIME, tmp_path)["versions.tf.json"])["terraform"]["backend"]
    assert backend == {"s3": {"bucket": "acme-terraform-state", "region": "eu-west-1", "encrypt": True,
                              "key": "fraudspec/fraud-detection/prod/terraform.tfstate", "use_lockfile": True}}


def test_model_name_changes_with_the_model(tmp_path: Path) -> None:
    first = _resources(SERVERLESS, tmp_path / "a")["aws_sagemaker_model"]["model"]["name"]
    spec = make_project(tmp_path / "b", SPECS / SERVERLESS.spec_file, SERVERLESS.env)
    _relock(spec, "model", sha256="f" * 64)
    second = json.loads(render_spec(spec)["fraudspec.tf.json"])
    assert second["resource"]["aws_sagemaker_model"]["model"]["name"] != first
    assert second["resource"]["aws_sagemaker_model"]["model"]["primary_container"][0]["model_data_url"] == \
        f"s3://acme-sm-rc-project-a/fraudspec/fraud-detection/models/sha256/{'f' * 64}/model.tar.gz"


def test_sagemaker_engine_needs_a_realtime_endpoint(tmp_path: Path) -> None:
    spec = make_project(tmp_path, SPECS / SERVERLESS.spec_file, SERVERLESS.env)
    spec = dataclasses.replace(spec, monitoring=dataclasses.replace(spec.monitoring, engine="sagemaker"))
    with pytest.raises(FraudspecError, match="needs a realtime endpoint"):
        render(spec, artifacts_from_lock(spec, read_lock(lock_path(spec.path))))


@pytest.mark.parametrize(("missing", "command"), [("model", "build"), ("statistics", "baseline")])
def test_an_artifact_missing_from_the_lock_names_the_command(tmp_path: Path, missing: str, command: str) -> None:
    spec = make_project(tmp_path, SPECS / MINIMAL.spec_file, MINIMAL.env)
    _relock(spec, missing, sha256=None)
    with pytest.raises(FraudspecError, match=f"locks no {missing} for environment 'dev'") as error:
        render_spec(spec)
    assert error.value.hint == f"run `fraudspec {command} --env dev`"


def test_an_environment_missing_from_the_lock_names_build_and_promote(tmp_path: Path) -> None:
    spec = make_project(tmp_path, SPECS / MINIMAL.spec_file, MINIMAL.env)
    lock_path(spec.path).unlink()
    with pytest.raises(FraudspecError, match="has no artifacts for environment 'dev'") as error:
        render_spec(spec)
    assert "fraudspec build --env dev" in error.value.hint
    assert "fraudspec promote --from ENV --to dev" in error.value.hint


def _relock(spec, kind: str, *, sha256: str | None) -> None:
    """Change (or, with None, drop) one locked artifact of the spec's environment."""
    env = spec.environment.name

    def change(lock):
        artifacts = dict(lock.environments[env].artifacts)
        if sha256 is None:
            del artifacts[kind]
        else:
            artifacts[kind] = dataclasses.replace(artifacts[kind], sha256=sha256)
        return lock.with_entry(env, LockEntry(artifacts))

    update_lock(lock_path(spec.path), change)
