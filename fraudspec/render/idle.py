"""Idle clean-up (environments.<env>.idle_after_days): delete an endpoint nobody calls, keep the rest.

    idle alarm (no Invocations for N whole days; missing data breaches)
      -> the alerts topic: the alarm targets hear it first
      -> an EventBridge rule on the alarm's change to ALARM
      -> a Step Functions state machine:
           describe the endpoint (gone or not InService: record why, do nothing)
           -> publish to the alerts topic what it is about to do and how to undo it
           -> DeleteEndpoint (the endpoint configuration, the model and every artifact stay)
           -> put a JSON record of the run under s3://<bucket>/<root>/idle-cleanup/

`fraudspec apply` re-creates the endpoint from the unchanged configuration; its smoke-test
invocation publishes a datapoint, which returns the alarm to OK, so the next N idle days start
from there. Why Step Functions rather than a Lambda: every step is one AWS API call with no code,
so there is no second artifact to build, lock, publish and keep in step with fraudspec; the
execution history and the S3 record say what happened. The alarm, not a daily schedule, measures
idleness, because a state machine without code cannot do date arithmetic (JSONata could, but the
emulator the tests run it on cannot evaluate JSONata) and CloudWatch already can: its longest
look-back, 7 daily periods, is why idle_after_days is at most 7.
"""

from __future__ import annotations

import json
from typing import Any

from fraudspec.monitoring.alarms.definitions import idle_alarm
from fraudspec.render import iam
from fraudspec.render.alarms import metric_alarm
from fraudspec.render.context import Context
from fraudspec.render.document import Bare, Expr, Template, ref

TOPIC_PLACEHOLDER = "@@ALERTS_TOPIC_ARN@@"
LOG_RETENTION_DAYS = 365  # a clean-up is rare and its record is what an audit asks for


def render_idle(ctx: Context, key: Expr) -> None:
    alarm = idle_alarm(ctx.spec)
    if alarm is None:
        return
    topic = ref("aws_sns_topic", "alerts", "arn")
    metric_alarm(ctx, alarm, [topic], [])
    log_group = ctx.config.resource("aws_cloudwatch_log_group", "idle", {
        "name": ctx.names.idle_log_group,
        "retention_in_days": LOG_RETENTION_DAYS,
        "kms_key_id": key.attr("arn"),
    })
    role = iam.service_role(ctx, "idle", ctx.names.idle_job, "states.amazonaws.com",
                            "fraudspec idle clean-up: delete the idle endpoint, keep its configuration",
                            _job_statements(ctx, key), source_account=True)
    machine = ctx.config.resource("aws_sfn_state_machine", "idle", {
        "name": ctx.names.idle_job,
        "role_arn": role.attr("arn"),
        "definition": definition_template(ctx),
        "logging_configuration": [{"log_destination": Template((log_group.attr("arn"), ":*")),
                                   "include_execution_data": True, "level": "ALL"}],
        "depends_on": [Bare("aws_iam_role_policy.idle")],
    })
    rule = ctx.config.resource("aws_cloudwatch_event_rule", "idle", {
        "name": ctx.names.idle_job,
        "description": f"{alarm.name} went to ALARM: start the idle clean-up",
        "event_pattern": json.dumps({
            "source": ["aws.cloudwatch"], "detail-type": ["CloudWatch Alarm State Change"],
            "detail": {"alarmName": [alarm.name], "state": {"value": ["ALARM"]}},
        }, sort_keys=True),
    })
    events_role = iam.service_role(
        ctx, "idle_events", ctx.names.idle_events_role, "events.amazonaws.com", "EventBridge: start the idle clean-up",
        [iam.statement("StartCleanup", ["states:StartExecution"], [machine.attr("arn")])])
    ctx.config.resource("aws_cloudwatch_event_target", "idle", {
        "rule": rule.attr("name"),
        "arn": machine.attr("arn"),
        "role_arn": events_role.attr("arn"),
        # The state machine reads a fixed shape, whatever else the alarm event carries.
        "input_transformer": [{
            "input_paths": {"alarm": "$.detail.alarmName", "time": "$.time", "reason": "$.detail.state.reason"},
            "input_template": '{"alarm": <alarm>, "time": <time>, "reason": <reason>}',
        }],
    })


def _job_statements(ctx: Context, key: Expr) -> list[dict[str, Any]]:
    names = ctx.names
    return [
        iam.statement("DeleteIdleEndpoint", ["sagemaker:DeleteEndpoint", "sagemaker:DescribeEndpoint"],
                      [ctx.arn("sagemaker", f"endpoint/{names.endpoint}")]),
        iam.statement("Notify", ["sns:Publish"], [ref("aws_sns_topic", "alerts", "arn")]),
        iam.statement("NotifyEncrypted", ["kms:Decrypt", "kms:GenerateDataKey"], [key.attr("arn")]),
        iam.statement("Record", ["s3:PutObject"], [ctx.s3_arn(f"{names.idle_records_prefix}/*")]),
        # Step Functions' log delivery APIs have no resource-level permissions (AWS's documented policy).
        iam.statement("DeliverLogs", ["logs:CreateLogDelivery", "logs:DeleteLogDelivery", "logs:DescribeLogGroups",
                                      "logs:DescribeResourcePolicies", "logs:GetLogDelivery", "logs:ListLogDeliveries",
                                      "logs:PutResourcePolicy", "logs:UpdateLogDelivery"], ["*"]),
    ]


def definition_template(ctx: Context) -> Template:
    """The state machine's JSON, with the alerts topic's ARN (known only to Terraform) spliced in."""
    before, after = json.dumps(definition(ctx, TOPIC_PLACEHOLDER), sort_keys=True).split(TOPIC_PLACEHOLDER)
    return Template((before, ref("aws_sns_topic", "alerts", "arn"), after))


def definition(ctx: Context, topic_arn: str) -> dict[str, Any]:
    """Amazon States Language (JSONPath): AWS SDK integrations only, no code."""
    spec, names = ctx.spec, ctx.names
    states = f"arn:{ctx.partition}:states:::"  # service integrations, in the region's partition
    endpoint, days, env = names.endpoint, spec.environment.idle_after_days, spec.environment.name
    record_key = {"Bucket": names.bucket, "ContentType": "application/json",
                  "Key.$": f"States.Format('{names.idle_records_prefix}/{{}}.json', $$.Execution.Name)",
                  "Body.$": "States.JsonToString($.record)"}

    def record(action: str, detail: dict[str, str], then: str) -> dict[str, Any]:
        return {"Type": "Pass", "ResultPath": "$.record", "Next": then, "Parameters": {
            "action": action, "endpoint": endpoint, "idle_after_days": days, "alarm.$": "$.alarm",
            "alarm_time.$": "$.time", "execution.$": "$$.Execution.Id",
            **detail}}

    message = (f"States.Format('Endpoint {endpoint} had no invocations for {days} days ({{}}). fraudspec deletes "
               f"it now and keeps its endpoint configuration {{}} and model: `fraudspec apply --env {env}` brings "
               f"it back.', $.reason, $.endpoint.EndpointConfigName)")
    return {
        "Comment": f"fraudspec: delete {endpoint} after {days} idle days; keep its configuration and model",
        "StartAt": "Describe",
        "States": {
            "Describe": {
                "Type": "Task", "Resource": f"{states}aws-sdk:sagemaker:describeEndpoint",
                "Parameters": {"EndpointName": endpoint},
                "ResultSelector": {"EndpointConfigName.$": "$.EndpointConfigName",
                                   "EndpointStatus.$": "$.EndpointStatus"},
                "ResultPath": "$.endpoint",
                "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "RecordAbsent"}],
                "Next": "InService",
            },
            "InService": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.endpoint.EndpointStatus", "StringEquals": "InService", "Next": "Notify"}],
                "Default": "RecordBusy",
            },
            "Notify": {
                "Type": "Task", "Resource": f"{states}sns:publish", "ResultPath": None, "Next": "Delete",
                "Parameters": {"TopicArn": topic_arn, "Subject": f"fraudspec: deleting idle endpoint {env}",
                               "Message.$": message},
            },
            "Delete": {
                "Type": "Task", "Resource": f"{states}aws-sdk:sagemaker:deleteEndpoint",
                "Parameters": {"EndpointName": endpoint}, "ResultPath": None, "Next": "RecordDeleted",
            },
            "RecordDeleted": record("deleted", {"endpoint_config.$": "$.endpoint.EndpointConfigName"}, "Write"),
            "RecordBusy": record("none", {"reason": "the endpoint is not InService (a change is under way)",
                                          "status.$": "$.endpoint.EndpointStatus"}, "Write"),
            "RecordAbsent": record("none", {"reason": "the endpoint does not exist (already deleted)",
                                            "error.$": "$.error.Error"}, "Write"),
            "Write": {"Type": "Task", "Resource": f"{states}aws-sdk:s3:putObject",
                      "Parameters": record_key, "ResultPath": None, "End": True},
        },
    }
