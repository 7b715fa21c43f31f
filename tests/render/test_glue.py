"""The monitoring job on AWS Glue (monitoring.runner glue) and each challenger's own schedules, as
rendered: the Glue 5.0 job and what it runs with, least-privilege roles, schedules that start it
through Scheduler's universal target with the arguments glue_entry reads, the monitor-errors alarm
on failed runs; validated by `terraform validate` against the real provider. The same spec is the
`glue` golden variant, so test_checkov scans it and test_schema checks it against the provider schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from render_variants import SPECS, make_project, render_spec

from fraudspec.core.errors import FraudspecError
from fraudspec.lock.file import lock_path, read_lock
from fraudspec.monitoring.jobs import glue_entry
from fraudspec.monitoring.jobs.settings import Settings
from fraudspec.render import RESOURCES
from fraudspec.render.artifacts import artifacts_from_lock
from fraudspec.render.files import write
from fraudspec.render.glue import GLUE_VERSION, START_JOB_RUN

BASE = "rc-project-a-fraud-detection-prod"
GLUE_SPEC = (SPECS / "glue.yaml").read_text()  # the glue golden variant


def _project(root: Path, text: str = GLUE_SPEC):
    source = root / "source" / "glue.yaml"
    source.parent.mkdir(parents=True)
    source.write_text(text)
    return make_project(root / "project", source, "prod")


@pytest.fixture
def glue(tmp_path: Path):
    """(spec, rendered files, the resources document)."""
    spec = _project(tmp_path)
    files = render_spec(spec)
    return spec, files, json.loads(files[RESOURCES])


def _statements(document: dict, policy: str) -> dict[str, dict]:
    return {s["sid"]: s for s in document["data"]["aws_iam_policy_document"][policy]["statement"]}


def test_the_glue_job_runs_the_locked_zip_with_the_spec_settings(glue) -> None:
    spec, _, document = glue
    resources = document["resource"]
    artifacts = artifacts_from_lock(spec, read_lock(lock_path(spec.path)))
    job = resources["aws_glue_job"]["monitor"]
    assert (job["name"], job["glue_version"], job["worker_type"], job["number_of_workers"], job["timeout"]) == (
        f"{BASE}-monitor", GLUE_VERSION, "G.2X", 6, 45)
    assert job["command"] == [{"name": "glueetl", "python_version": "3",
                               "script_location": "s3://acme-sm-rc-prod/${aws_s3_object.monitor_script.key}"}]
    arguments = job["default_arguments"]
    assert artifacts.monitor_glue is not None and arguments["--extra-py-files"] == artifacts.monitor_glue.uri
    assert artifacts.monitor_lambda is None and "aws_lambda_function" not in resources
    # The job reads back exactly the settings the Lambda would get (its environment, as arguments).
    settings = glue_entry.settings_from(glue_entry.parse_arguments([w for kv in arguments.items() for w in kv]))
    assert settings.statistics_uri == artifacts.statistics.uri and settings.variant_name == "champion"
    assert settings.has_model_quality and settings.quality_schedule_name == f"{BASE}-model-quality"
    script = resources["aws_s3_object"]["monitor_script"]
    assert "from fraudspec.monitoring.jobs.glue_entry import main" in script["content"]
    assert job["security_configuration"] == "${aws_glue_security_configuration.monitor.name}"
    encryption = resources["aws_glue_security_configuration"]["monitor"]["encryption_configuration"][0]
    assert {mode for part in encryption.values() for mode in part[0].values()} >= {"SSE-KMS", "CSE-KMS"}
    groups = {g["name"]: g["retention_in_days"] for g in resources["aws_cloudwatch_log_group"].values()}
    prefix = arguments["--custom-logGroup-prefix"]
    assert groups[f"{prefix}/output"] == groups[f"{prefix}/error"] == 14
    # fraudspec's key lets CloudWatch Logs encrypt exactly the job's log groups.
    key = _statements(document, "key")["MonitorLogs"]["condition"][0]["values"]
    assert sorted(key) == sorted(f"arn:aws:logs:eu-west-1:210987654321:log-group:{g}" for g in groups)


def test_schedules_start_the_job_with_each_variants_arguments(glue) -> None:
    spec, _, document = glue
    artifacts = artifacts_from_lock(spec, read_lock(lock_path(spec.path)))
    schedules = document["resource"]["aws_scheduler_schedule"]
    assert sorted(schedules) == ["model_quality", "model_quality_gbm", "model_quality_logistic",
                                 "monitor", "monitor_gbm", "monitor_logistic"]
    job = document["resource"]["aws_glue_job"]["monitor"]
    assert job["execution_property"] == [{"max_concurrent_runs": 6}]  # they all fire on the hour
    defaults = glue_entry.parse_arguments([w for kv in job["default_arguments"].items() for w in kv])
    for label, schedule in schedules.items():
        target = schedule["target"][0]
        assert target["arn"] == START_JOB_RUN
        body = json.loads(target["input"])
        assert body["JobName"] == job["name"]
        run = body["Arguments"]
        assert run["--scheduled_time"] == "<aws.scheduler.scheduled-time>"
        assert (run.get("--job") == "model_quality") == label.startswith("model_quality")
        settings = glue_entry.settings_from({**defaults, **glue_entry.parse_arguments(
            [w for kv in run.items() for w in kv])})
        variant = label.rpartition("_")[2] if label.endswith(("gbm", "logistic")) else None
        own, view = artifacts.of(variant), spec.for_variant(variant).names if variant else spec.names
        assert (settings.variant_name, settings.statistics_uri, settings.constraints_uri) == (
            variant or "champion", own.statistics.uri, own.constraints.uri)
        assert (settings.schedule_name, settings.quality_schedule_name) == (
            view.monitoring_schedule, view.model_quality_schedule)
        assert schedule["name"] == (view.model_quality_schedule if label.startswith("model_quality")
                                    else view.monitoring_schedule if variant else f"{BASE}-monitor")
    # The scheduler may start this job and nothing else.
    assert _statements(document, "scheduler") == {"StartMonitor": {
        "sid": "StartMonitor", "effect": "Allow", "actions": ["glue:StartJobRun"],
        "resources": ["${aws_glue_job.monitor.arn}"]}}


def test_the_jobs_role_reads_and_writes_only_what_monitoring_needs(glue) -> None:
    spec, _, document = glue
    artifacts = artifacts_from_lock(spec, read_lock(lock_path(spec.path)))
    statements = _statements(document, "monitor")
    assert sorted(statements) == ["CaptureKey", "ListCapture", "ListGroundTruth", "PutMonitoringMetrics",
                                  "ReadCaptureAndBaseline", "ReadGroundTruth", "ReadJobCode", "UseKey",
                                  "WriteLogs", "WriteReports"]
    bucket = "arn:aws:s3:::acme-sm-rc-prod"
    baselines = {f"{bucket}/{a.key}" for v in (None, "gbm", "logistic")
                 for a in (artifacts.of(v).statistics, artifacts.of(v).constraints)}
    assert set(statements["ReadCaptureAndBaseline"]["resources"]) == {
        f"{bucket}/fraudspec/fraud-detection/prod/capture/{BASE}/*", *baselines}
    assert statements["ReadJobCode"]["resources"] == [
        f"{bucket}/fraudspec/fraud-detection/prod/glue/monitor_job.py", f"{bucket}/{artifacts.monitor_glue.key}"]
    assert statements["PutMonitoringMetrics"]["condition"][0]["values"] == [
        "aws/sagemaker/Endpoints/data-metrics", "aws/sagemaker/Endpoints/model-metrics"]
    assert all("*" not in action for s in statements.values() for action in s["actions"])
    trust = document["data"]["aws_iam_policy_document"]["monitor_assume"]["statement"][0]
    assert trust["principals"] == [{"type": "Service", "identifiers": ["glue.amazonaws.com"]}]


def test_failed_runs_raise_the_monitor_errors_alarm_and_challengers_have_no_alarms(glue) -> None:
    _, _, document = glue
    resources = document["resource"]
    rule = resources["aws_cloudwatch_event_rule"]["monitor_failed"]
    pattern = json.loads(rule["event_pattern"])
    assert pattern["detail"] == {"jobName": [f"{BASE}-monitor"], "state": ["FAILED", "TIMEOUT", "ERROR"]}
    alarm = resources["aws_cloudwatch_metric_alarm"]["monitor_errors"]
    assert (alarm["namespace"], alarm["metric_name"], alarm["dimensions"]) == (
        "AWS/Events", "TriggeredRules", {"RuleName": rule["name"]})
    assert resources["aws_cloudwatch_event_target"]["monitor_failed"]["rule"] == "${aws_cloudwatch_event_rule" \
        ".monitor_failed.name}"
    watched = json.dumps(resources["aws_cloudwatch_metric_alarm"])
    assert f"{BASE}-data-quality" in watched and "-gbm" not in watched and "-logistic" not in watched


def test_the_lambda_runner_gives_challengers_their_own_schedules(tmp_path: Path) -> None:
    spec = make_project(tmp_path, SPECS / "challengers.yaml", "prod")
    artifacts = artifacts_from_lock(spec, read_lock(lock_path(spec.path)))
    document = json.loads(render_spec(spec)[RESOURCES])
    function = document["resource"]["aws_lambda_function"]["monitor"]
    champion = Settings.from_environment(function["environment"][0]["variables"])
    schedules = document["resource"]["aws_scheduler_schedule"]
    assert sorted(schedules) == ["monitor", "monitor_gbm", "monitor_logistic"]
    event = json.loads(schedules["monitor_gbm"]["target"][0]["input"])
    assert event["scheduled_time"] == "<aws.scheduler.scheduled-time>"
    gbm = champion.for_variant(event["variant"])  # what lambda_entry.handler applies
    assert (gbm.variant_name, gbm.statistics_uri, gbm.schedule_name) == (
        "gbm", artifacts.of("gbm").statistics.uri, spec.for_variant("gbm").names.monitoring_schedule)
    assert json.loads(schedules["monitor"]["target"][0]["input"]) == {
        "scheduled_time": "<aws.scheduler.scheduled-time>"}


@pytest.mark.slow
def test_the_glue_runner_is_valid_for_the_real_provider(glue, offline_terraform, tmp_path: Path) -> None:
    spec, files, _ = glue
    write(spec.terraform_dir, files)
    diagnostics = offline_terraform.validate(spec.terraform_dir, tmp_path / "work")
    messages = [f"{d['severity']}: {d['summary']}: {d.get('detail', '')}" for d in diagnostics["diagnostics"]]
    assert diagnostics["valid"] and messages == [], messages


def test_a_challenger_name_too_long_for_its_schedules_is_refused(tmp_path: Path) -> None:
    spec = _project(tmp_path, GLUE_SPEC.replace("variant: logistic", "variant: logistic-regression-c05"))
    with pytest.raises(FraudspecError, match="EventBridge Scheduler takes 64") as raised:
        render_spec(spec)
    assert "shorten the challenger's variant name" in (raised.value.hint or "")
