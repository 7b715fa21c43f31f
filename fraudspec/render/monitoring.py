"""Monitoring on AWS: fraudspec's own job on Lambda (the default) or AWS Glue (`runner: glue`,
render.glue), run by EventBridge Scheduler, or SageMaker Model Monitor (`engine: sagemaker`,
realtime endpoints, accounts that still have it). Each challenger variant gets its own schedules.

Both read the same baseline files, write the same report layout and publish the same metrics
(namespace and dimensions below), so alarms and dashboards do not depend on the engine.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from fraudspec.core.errors import FraudspecError
from fraudspec.monitoring.jobs.glue_entry import run_arguments
from fraudspec.monitoring.jobs.lambda_entry import SCHEDULED_TIME
from fraudspec.monitoring.jobs.settings import MODEL_QUALITY, VARIANT, Settings
from fraudspec.monitoring.quality.execution import QualityJob
from fraudspec.monitoring.records.sources import split_s3_uri
from fraudspec.render import glue, iam
from fraudspec.render.context import Context
from fraudspec.render.document import Bare, Expr, content_name, template
from fraudspec.render.images import model_monitor_image
from fraudspec.spec.model import Schedule
from fraudspec.spec.schedule import window_seconds

LAMBDA_RUNTIME = "python3.12"
LAMBDA_HANDLER = "fraudspec.monitoring.jobs.lambda_entry.handler"
LAMBDA_MEMORY_MB = 1024
LAMBDA_TIMEOUT_SECONDS = 900
# Scheduler retries a failed invocation; a run older than this is dropped (the next one follows).
RETRY_ATTEMPTS = 2
RETRY_MAX_AGE_SECONDS = 3600
SCHEDULE_NAME_MAX = 64  # EventBridge Scheduler's limit on a schedule's name
JOB_MAX_RUNTIME_SECONDS = 3600  # the service maximum for hourly schedules
PROCESSING_INPUT = "/opt/ml/processing/input/endpoint"
PROCESSING_OUTPUT = "/opt/ml/processing/output"


def render_monitoring(ctx: Context, endpoint: Expr, key: Expr) -> None:
    monitoring = ctx.spec.monitoring
    if not monitoring.enabled:
        return
    if monitoring.engine == "sagemaker":
        _model_monitor(ctx, endpoint)
    else:
        _fraudspec_job(ctx, key)


# --- engine: fraudspec -------------------------------------------------------------------------

def _fraudspec_job(ctx: Context, key: Expr) -> None:
    names = ctx.names
    settings = job_settings(ctx)
    jobs = scheduled_jobs(ctx, settings)
    if ctx.spec.monitoring.runner == "glue":
        job = glue.render_glue_job(ctx, key, settings, _job_statements(ctx), len(jobs))
        scheduler_statements = glue.scheduler_statements(ctx, job)
    else:
        function = _lambda_function(ctx, key, settings)
        scheduler_statements = [iam.statement("InvokeMonitor", ["lambda:InvokeFunction"], [function.attr("arn")])]
    scheduler_role = iam.service_role(
        ctx, "scheduler", names.scheduler_role, "scheduler.amazonaws.com", "EventBridge Scheduler: run the monitor",
        scheduler_statements, source_account=True)
    for job_run in jobs:
        target: str | Expr
        if ctx.spec.monitoring.runner == "glue":
            target, payload = glue.schedule_target(ctx, run_arguments(quality=job_run.quality, variant=job_run.variant))
        else:
            target, payload = function.attr("arn"), _lambda_input(job_run)
        _schedule(ctx, job_run, target, scheduler_role, payload)


def _lambda_function(ctx: Context, key: Expr, settings: Settings) -> Expr:
    names = ctx.names
    package = ctx.artifacts.monitor_lambda
    assert package is not None, "artifacts_from_lock includes the Lambda for runner lambda"
    log_group = ctx.config.resource("aws_cloudwatch_log_group", "monitor", {
        "name": names.monitor_log_group,
        "retention_in_days": ctx.spec.monitoring.log_retention_days,
        "kms_key_id": key.attr("arn"),
    })
    logs = iam.statement("WriteLogs", ["logs:CreateLogStream", "logs:PutLogEvents"],
                         [template("", log_group.attr("arn"), ":*")])
    role = iam.service_role(ctx, "monitor", names.monitor_role, "lambda.amazonaws.com",
                            "fraudspec monitoring job (Lambda)", _job_statements(ctx, [logs]))
    return ctx.config.resource("aws_lambda_function", "monitor", {
        "function_name": names.monitor_function,
        "description": f"fraudspec monitoring of endpoint {names.endpoint}",
        "role": role.attr("arn"),
        "runtime": LAMBDA_RUNTIME,
        "architectures": ["x86_64"],
        "handler": LAMBDA_HANDLER,
        "s3_bucket": package.bucket,
        "s3_key": package.key,
        "source_code_hash": base64.b64encode(bytes.fromhex(package.sha256)).decode(),
        "memory_size": LAMBDA_MEMORY_MB,
        "timeout": LAMBDA_TIMEOUT_SECONDS,
        "environment": [{"variables": settings.to_environment()}],
        "logging_config": [{"log_format": "Text", "log_group": log_group.attr("name")}],
        "depends_on": [Bare("aws_iam_role_policy.monitor")],
    })


@dataclass(frozen=True)
class ScheduledJob:
    """One EventBridge schedule of the monitoring job: whose run, of which kind, when."""

    label: str  # its Terraform resource name
    name: str  # the schedule's name
    what: str
    schedule: Schedule
    quality: bool  # the model-quality job, else data quality
    variant: Mapping[str, str]  # {} for the champion; a challenger's Settings.variant_fields()


def scheduled_jobs(ctx: Context, settings: Settings) -> list[ScheduledJob]:
    """The champion's data-quality (and model-quality) schedules, then each challenger's: its own capture,
    baseline and schedule names (no alarms watch them: alarms stay the champion's)."""
    monitoring, names = ctx.spec.monitoring, ctx.names
    quality = monitoring.model_quality
    jobs = [ScheduledJob("monitor", names.monitor_schedule, "fraudspec monitoring", monitoring.schedule, False, {})]
    if quality is not None:
        jobs.append(ScheduledJob("model_quality", names.model_quality_schedule, "fraudspec model quality",
                                 quality.schedule, True, {}))
    for challenger in ctx.spec.endpoint.challengers:
        variant = challenger.variant
        own, view = ctx.artifacts.of(variant), ctx.spec.for_variant(variant).names
        fields = replace(settings, variant_name=variant, statistics_uri=own.statistics.uri,
                         constraints_uri=own.constraints.uri, schedule_name=view.monitoring_schedule,
                         quality_schedule_name=view.model_quality_schedule if quality else "").variant_fields()
        fields = {name: value for name, value in fields.items() if value}  # no model quality: no name for it
        label = variant.replace("-", "_")
        jobs.append(ScheduledJob(f"monitor_{label}", view.monitoring_schedule,
                                 f"fraudspec monitoring of variant {variant}", monitoring.schedule, False, fields))
        if quality is not None:
            jobs.append(ScheduledJob(f"model_quality_{label}", view.model_quality_schedule,
                                     f"fraudspec model quality of variant {variant}", quality.schedule, True, fields))
    for job in jobs:
        if len(job.name) > SCHEDULE_NAME_MAX:
            raise FraudspecError(
                f"the schedule name {job.name!r} is {len(job.name)} characters; EventBridge Scheduler takes "
                f"{SCHEDULE_NAME_MAX}",
                hint="shorten the challenger's variant name (a challenger's schedules are the endpoint's names "
                     "plus -<variant>)")
    return jobs


def _lambda_input(job: ScheduledJob) -> str:
    """The Lambda's event (lambda_entry.handler): Scheduler substitutes the time this run was scheduled
    for, the end of its window."""
    event: dict[str, Any] = {SCHEDULED_TIME: "<aws.scheduler.scheduled-time>"}
    if job.quality:
        event["job"] = MODEL_QUALITY
    if job.variant:
        event[VARIANT] = dict(job.variant)
    return json.dumps(event)


def _schedule(ctx: Context, job: ScheduledJob, target: str | Expr, role: Expr, payload: str) -> None:
    ctx.config.resource("aws_scheduler_schedule", job.label, {
        "name": job.name,
        "description": f"{job.what}: {job.schedule.source}",
        "schedule_expression": job.schedule.expression,
        "schedule_expression_timezone": job.schedule.timezone,
        "flexible_time_window": [{"mode": "OFF"}],
        "target": [{
            "arn": target,
            "role_arn": role.attr("arn"),
            "input": payload,
            "retry_policy": [{"maximum_retry_attempts": RETRY_ATTEMPTS,
                              "maximum_event_age_in_seconds": RETRY_MAX_AGE_SECONDS}],
        }],
    })


def monitor_errors_metric(ctx: Context) -> dict[str, Any]:
    """What the monitor-errors alarm (render.alarms) watches: the Lambda's errors, or the Glue job's failed runs."""
    if ctx.spec.monitoring.runner == "glue":
        return glue.failure_metric(ctx)
    return {"namespace": "AWS/Lambda", "metric_name": "Errors",
            "dimensions": {"FunctionName": ctx.names.monitor_function}}


def monitor_log_groups(ctx: Context) -> tuple[str, ...]:
    """The monitoring job's log groups that fraudspec's key encrypts (render.kms), for either runner."""
    if ctx.spec.monitoring.runner == "glue":
        return glue.log_groups(ctx)
    return (ctx.names.monitor_log_group,)


def job_settings(ctx: Context) -> Settings:
    """The champion's job settings: the Lambda's environment, or the Glue job's default arguments."""
    names, artifacts = ctx.names, ctx.artifacts
    settings = Settings(
        statistics_uri=artifacts.statistics.uri,
        constraints_uri=artifacts.constraints.uri,
        capture_uri=names.s3_uri(names.capture_prefix),
        reports_uri=names.s3_uri(names.reports_prefix),
        endpoint_name=names.endpoint,
        variant_name=names.variant,
        schedule_name=names.monitoring_schedule,
        metric_namespace=names.metric_namespace,
        emit_metrics=ctx.spec.monitoring.emit_metrics,
        window_seconds=window_seconds(ctx.spec.monitoring.schedule),
        features=ctx.spec.model.feature_names,
    )
    quality = ctx.spec.monitoring.model_quality
    if quality is None:
        return settings
    return replace(
        settings,
        quality_job=json.dumps(QualityJob.from_spec(quality).to_json(), sort_keys=True),
        ground_truth_uri=ground_truth_uri(ctx),
        quality_schedule_name=names.model_quality_schedule,
        model_metric_namespace=names.model_metric_namespace,
        quality_window_seconds=window_seconds(quality.schedule),
    )


def ground_truth_uri(ctx: Context) -> str:
    """Where the model-quality job reads labels: the spec's s3:// prefix, else the environment's bucket."""
    quality = ctx.spec.monitoring.model_quality
    assert quality is not None
    return quality.ground_truth or ctx.names.s3_uri(ctx.names.ground_truth_prefix)


def _job_statements(ctx: Context, logs: Sequence[dict[str, Any]] = ()) -> list[dict[str, Any]]:
    """What the job reads and writes on either runner, with `logs`, its runner's log statements (the
    Glue runner adds its own, and its code, in render.glue)."""
    quality = ctx.spec.monitoring.model_quality
    namespaces = [ctx.names.metric_namespace] + ([ctx.names.model_metric_namespace] if quality else [])
    statements = _monitoring_io(ctx, namespaces) + list(logs)
    if quality is not None:
        statements += _ground_truth_statements(ctx)
    statements += iam.kms_statements("CaptureKey", ctx.spec.capture.kms_key_arn, ["kms:Decrypt"])
    return statements


def _ground_truth_statements(ctx: Context) -> list[dict[str, Any]]:
    bucket, prefix = split_s3_uri(ground_truth_uri(ctx))
    bucket_arn = f"arn:{ctx.partition}:s3:::{bucket}"
    return [
        iam.statement("ListGroundTruth", ["s3:ListBucket"], [bucket_arn],
                      [("StringLike", "s3:prefix", [f"{prefix}/*" if prefix else "*"])]),
        iam.statement("ReadGroundTruth", ["s3:GetObject"],
                      [f"{bucket_arn}/{prefix}/*" if prefix else f"{bucket_arn}/*"]),
    ]


def _monitoring_io(ctx: Context, namespaces: list[str]) -> list[dict[str, Any]]:
    """What either engine's job reads and writes: capture, baseline, reports and its metrics."""
    names, artifacts = ctx.names, ctx.artifacts
    capture = f"{names.capture_prefix}/{names.endpoint}/"
    return [
        iam.statement("ListCapture", ["s3:ListBucket"], [ctx.bucket_arn],
                      [("StringLike", "s3:prefix", [f"{capture}*"])]),
        # Each challenger's own baseline too (its capture is under the endpoint's folder).
        iam.statement("ReadCaptureAndBaseline", ["s3:GetObject"],
                      [ctx.s3_arn(f"{capture}*"), *(ctx.s3_arn(artifact.key) for variant in (None, *artifacts.variants)
                                                    for artifact in (artifacts.of(variant).statistics,
                                                                     artifacts.of(variant).constraints))]),
        iam.statement("WriteReports", ["s3:PutObject"], [ctx.s3_arn(f"{names.reports_prefix}/*")]),
        # PutMetricData has no resource-level permissions; the namespace condition scopes it.
        iam.statement("PutMonitoringMetrics", ["cloudwatch:PutMetricData"], ["*"],
                      [("StringEquals", "cloudwatch:namespace", namespaces)]),
    ]


# --- engine: sagemaker (Model Monitor) -----------------------------------------------------------

def _model_monitor(ctx: Context, endpoint: Expr) -> None:
    spec, names, artifacts = ctx.spec, ctx.names, ctx.artifacts
    expression = spec.monitoring.schedule.model_monitor
    if spec.endpoint.kind != "realtime" or expression is None:
        raise FraudspecError("monitoring engine 'sagemaker' needs a realtime endpoint and a schedule "
                             "Model Monitor accepts (hourly, 'daily at H', 'every N hours')",
                             hint="use engine: fraudspec, which also works on serverless endpoints")
    role = iam.service_role(ctx, "model_monitor", names.job_role, "sagemaker.amazonaws.com",
                            "SageMaker Model Monitor data-quality job", _model_monitor_statements(ctx))
    job: dict[str, Any] = {
        "role_arn": role.attr("arn"),
        "data_quality_app_specification": [{
            "image_uri": model_monitor_image(ctx.region).uri,
            "environment": {"publish_cloudwatch_metrics": "Enabled" if spec.monitoring.emit_metrics else "Disabled"},
        }],
        "data_quality_baseline_config": [{
            "constraints_resource": [{"s3_uri": artifacts.constraints.uri}],
            "statistics_resource": [{"s3_uri": artifacts.statistics.uri}],
        }],
        "data_quality_job_input": [{"endpoint_input": [{
            "endpoint_name": endpoint.attr("name"),
            "local_path": PROCESSING_INPUT,
        }]}],
        "data_quality_job_output_config": [{"monitoring_outputs": [{"s3_output": [{
            "s3_uri": names.s3_uri(names.reports_prefix),
            "local_path": PROCESSING_OUTPUT,
            "s3_upload_mode": "EndOfJob",
        }]}]}],
        "job_resources": [{"cluster_config": [{
            "instance_count": 1,
            "instance_type": spec.monitoring.job_instance_type,
            "volume_size_in_gb": spec.monitoring.job_volume_gb,
        }]}],
        "stopping_condition": [{"max_runtime_in_seconds": JOB_MAX_RUNTIME_SECONDS}],
        "network_config": [{"enable_inter_container_traffic_encryption": True}],
    }
    # Every argument but role_arn and tags forces replacement; the schedule must switch to the
    # new definition before the old one can go: a content name + create_before_destroy.
    job["name"] = content_name(names.job_definition_prefix, {k: v for k, v in job.items() if k != "role_arn"})
    job["lifecycle"] = {"create_before_destroy": True}
    job["depends_on"] = [Bare("aws_iam_role_policy.model_monitor")]
    definition = ctx.config.resource("aws_sagemaker_data_quality_job_definition", "monitor", job)
    ctx.config.resource("aws_sagemaker_monitoring_schedule", "monitor", {
        "name": names.monitoring_schedule,
        "monitoring_schedule_config": [{
            "monitoring_job_definition_name": definition.attr("name"),
            "monitoring_type": "DataQuality",
            "schedule_config": [{"schedule_expression": expression}],
        }],
    })


def _model_monitor_statements(ctx: Context) -> list[dict[str, Any]]:
    image = model_monitor_image(ctx.region)
    statements = _monitoring_io(ctx, [ctx.names.metric_namespace]) + [
        iam.statement("PullAnalyzer", ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage",
                                       "ecr:GetDownloadUrlForLayer"], [image.repository_arn]),
        iam.statement("EcrLogin", ["ecr:GetAuthorizationToken"], ["*"]),
        iam.statement("WriteLogs", ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                      [ctx.arn("logs", "log-group:/aws/sagemaker/ProcessingJobs"),
                       ctx.arn("logs", "log-group:/aws/sagemaker/ProcessingJobs:log-stream:*")]),
    ]
    statements += iam.kms_statements("CaptureKey", ctx.spec.capture.kms_key_arn, ["kms:Decrypt"])
    return statements
