"""The fraudspec monitoring job on AWS Glue (`monitoring.runner: glue`): for windows one Lambda cannot
read in 15 minutes, Spark's executors read the capture (fraudspec.monitoring.jobs.glue_entry).

Rendered here: the Glue 5.0 job (glueetl, Python 3) with the locked zip as --extra-py-files and the
Settings as default arguments; its entry script as an S3 object; a security configuration with
fraudspec's key; its log groups (Glue 5.0's `{prefix}/output` and `{prefix}/error`, with the spec's
retention); its least-privilege role; and what tells people a run failed. The schedules are
render.monitoring's, shared with the Lambda runner: only their target differs (`schedule_target`).

The entry script is an `aws_s3_object` with literal content rather than a file in the zip: Glue
needs the script as a .py object of its own, the script never changes (it calls `glue_entry.main`),
and what does change, the code, is the content-addressed zip the lock pins. Terraform owns the
object, so a plan shows it and a destroy removes it.

A failed run: a Lambda's errors are a metric (AWS/Lambda Errors), a Glue run's are not; Glue sends
"Glue Job State Change" events instead. An EventBridge rule matches this job's FAILED, TIMEOUT and
ERROR runs and records each event in a log group; the monitor-errors alarm watches the rule's
TriggeredRules metric, so it pages (and clears) through the same topic as every other alarm
(render.alarms), without an extra topic or key policy for EventBridge.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fraudspec.monitoring.jobs.glue_entry import arguments
from fraudspec.monitoring.jobs.settings import Settings
from fraudspec.render import iam
from fraudspec.render.context import Context
from fraudspec.render.document import Bare, Expr, template

GLUE_VERSION = "5.0"  # Spark 3.5, Python 3.11
SCRIPT = (
    "# fraudspec monitoring job (AWS Glue): the code is in --extra-py-files (fraudspec.deploy.glue_package)\n"
    "from fraudspec.monitoring.jobs.glue_entry import main\n"
    "\n"
    "main()\n"
)
START_JOB_RUN = "arn:aws:scheduler:::aws-sdk:glue:startJobRun"  # EventBridge Scheduler's universal target
FAILED_STATES = ("FAILED", "TIMEOUT", "ERROR")


@dataclass(frozen=True)
class GlueNames:
    """The Glue runner's names: the Lambda runner's, where one exists, so switching runners keeps them."""

    job: str
    role: str
    security_configuration: str
    log_prefix: str  # Glue 5.0 writes {prefix}/output and {prefix}/error
    failure_rule: str
    failure_log_group: str  # EventBridge writes to log groups under /aws/events/ only
    script_key: str

    @property
    def log_groups(self) -> tuple[str, str]:
        return f"{self.log_prefix}/output", f"{self.log_prefix}/error"


def glue_names(ctx: Context) -> GlueNames:
    names = ctx.names
    job = names.monitor_function
    return GlueNames(job=job, role=names.monitor_role, security_configuration=job,
                     log_prefix=f"/aws-glue/jobs/{job}", failure_rule=f"{job}-failed",
                     failure_log_group=f"/aws/events/{job}-failed", script_key=f"{names.root}/glue/monitor_job.py")


def log_groups(ctx: Context) -> tuple[str, ...]:
    """The log groups fraudspec's key encrypts for the Glue runner (render.kms grants CloudWatch Logs)."""
    found = glue_names(ctx)
    return (*found.log_groups, found.failure_log_group)


def render_glue_job(ctx: Context, key: Expr, settings: Settings, statements: Sequence[dict[str, Any]],
                    concurrent_runs: int) -> Expr:
    """The job and everything it runs with; returns the job. `statements`: what the job reads and writes
    (render.monitoring's, the Lambda's), `concurrent_runs`: how many schedules may start it at once."""
    package = ctx.artifacts.monitor_glue
    assert package is not None, "artifacts_from_lock includes the Glue zip for runner glue"
    found = glue_names(ctx)
    retention = ctx.spec.monitoring.log_retention_days
    groups = [ctx.config.resource("aws_cloudwatch_log_group", f"monitor_{kind}", {
        "name": name, "retention_in_days": retention, "kms_key_id": key.attr("arn"),
    }) for kind, name in zip(("output", "error"), found.log_groups)]
    script = ctx.config.resource("aws_s3_object", "monitor_script", {
        "bucket": ctx.names.bucket,
        "key": found.script_key,
        "content": SCRIPT,
        "content_type": "text/x-python",
        "kms_key_id": key.attr("arn"),
    })
    security = ctx.config.resource("aws_glue_security_configuration", "monitor", {
        "name": found.security_configuration,
        "encryption_configuration": [{
            "cloudwatch_encryption": [{"cloudwatch_encryption_mode": "SSE-KMS", "kms_key_arn": key.attr("arn")}],
            "job_bookmarks_encryption": [{"job_bookmarks_encryption_mode": "CSE-KMS", "kms_key_arn": key.attr("arn")}],
            "s3_encryption": [{"s3_encryption_mode": "SSE-KMS", "kms_key_arn": key.attr("arn")}],
        }],
    })
    role = iam.service_role(ctx, "monitor", found.role, "glue.amazonaws.com", "fraudspec monitoring job (AWS Glue)",
                            [*statements, *_glue_statements(ctx, found, key, groups, package.key)])
    glue = ctx.spec.monitoring.glue
    job = ctx.config.resource("aws_glue_job", "monitor", {
        "name": found.job,
        "description": f"fraudspec monitoring of endpoint {ctx.names.endpoint}",
        "role_arn": role.attr("arn"),
        "glue_version": GLUE_VERSION,
        "command": [{"name": "glueetl", "python_version": "3",
                     "script_location": template(f"s3://{ctx.names.bucket}/", script.attr("key"))}],
        "default_arguments": {
            **arguments(settings),
            "--job-language": "python",
            "--extra-py-files": package.uri,
            "--custom-logGroup-prefix": found.log_prefix,
            # Job run insights writes to Glue's own log groups, outside this role's (and the key's) reach.
            "--enable-job-insights": "false",
        },
        "worker_type": glue.worker_type,
        "number_of_workers": glue.workers,
        "timeout": glue.timeout_minutes,
        "max_retries": 0,  # the scheduler retries a run that failed to start; a failed run pages instead
        "execution_property": [{"max_concurrent_runs": concurrent_runs}],
        "security_configuration": security.attr("name"),
        "depends_on": [Bare("aws_iam_role_policy.monitor"), Bare("aws_cloudwatch_log_group.monitor_output"),
                       Bare("aws_cloudwatch_log_group.monitor_error")],
    })
    _failure_rule(ctx, found, key)
    return job


def schedule_target(ctx: Context, extra: Mapping[str, str]) -> tuple[str, str]:
    """(target ARN, input) of a schedule that starts the job with `extra` arguments (glue_entry.run_arguments):
    Scheduler substitutes the run's scheduled time, the end of its window. The input names the job; the
    scheduler role may start that job only (`scheduler_statements`)."""
    body = {"JobName": glue_names(ctx).job,
            "Arguments": {"--scheduled_time": "<aws.scheduler.scheduled-time>", **extra}}
    return START_JOB_RUN, json.dumps(body, sort_keys=True)


def scheduler_statements(ctx: Context, job: Expr) -> list[dict[str, Any]]:
    return [iam.statement("StartMonitor", ["glue:StartJobRun"], [job.attr("arn")])]


def failure_metric(ctx: Context) -> dict[str, Any]:
    """The monitor-errors alarm's metric for the Glue runner: failed runs matched by the rule."""
    return {"namespace": "AWS/Events", "metric_name": "TriggeredRules",
            "dimensions": {"RuleName": glue_names(ctx).failure_rule}}


def _glue_statements(ctx: Context, found: GlueNames, key: Expr, groups: Sequence[Expr],
                     package_key: str) -> list[dict[str, Any]]:
    return [
        iam.statement("ReadJobCode", ["s3:GetObject"], [ctx.s3_arn(found.script_key), ctx.s3_arn(package_key)]),
        iam.statement("WriteLogs", ["logs:AssociateKmsKey", "logs:CreateLogStream", "logs:PutLogEvents"],
                      [template("", group.attr("arn"), ":*") for group in groups]),
        # The security configuration encrypts what Glue writes with this key; the log groups are
        # fraudspec's own (created above with it), so Glue need not associate keys with others.
        iam.statement("UseKey", ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], [key.attr("arn")]),
    ]


def _failure_rule(ctx: Context, found: GlueNames, key: Expr) -> None:
    rule = ctx.config.resource("aws_cloudwatch_event_rule", "monitor_failed", {
        "name": found.failure_rule,
        "description": f"a run of the fraudspec monitoring job {found.job} failed",
        "event_pattern": json.dumps({
            "source": ["aws.glue"],
            "detail-type": ["Glue Job State Change"],
            "detail": {"jobName": [found.job], "state": list(FAILED_STATES)},
        }, sort_keys=True),
    })
    group = ctx.config.resource("aws_cloudwatch_log_group", "monitor_failed", {
        "name": found.failure_log_group,
        "retention_in_days": ctx.spec.monitoring.log_retention_days,
        "kms_key_id": key.attr("arn"),
    })
    # EventBridge writes to CloudWatch Logs under the log group's resource policy, not a role.
    policy = iam.policy_document(ctx, "monitor_failed_logs", [{
        "sid": "EventBridgeWritesFailedRuns", "effect": "Allow",
        "actions": ["logs:CreateLogStream", "logs:PutLogEvents"],
        "resources": [template("", group.attr("arn"), ":*")],
        "principals": [{"type": "Service", "identifiers": ["events.amazonaws.com", "delivery.logs.amazonaws.com"]}],
        "condition": [{"test": "ArnEquals", "variable": "aws:SourceArn", "values": [rule.attr("arn")]}],
    }])
    ctx.config.resource("aws_cloudwatch_log_resource_policy", "monitor_failed", {
        "policy_name": found.failure_rule,
        "policy_document": policy.attr("json"),
    })
    ctx.config.resource("aws_cloudwatch_event_target", "monitor_failed", {
        "rule": rule.attr("name"),
        "target_id": "failed-runs-log",
        "arn": group.attr("arn"),
        "depends_on": [Bare("aws_cloudwatch_log_resource_policy.monitor_failed")],
    })
