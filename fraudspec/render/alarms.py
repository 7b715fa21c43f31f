"""Alarms and where they go: an SNS topic encrypted with fraudspec's key (see kms.py), the spec's
subscriptions, the spec's alarms (drift, model quality, endpoint: the list in
fraudspec.monitoring.alarms.definitions, which the local runtime evaluates too) and the
monitoring job's failures (AWS only: the Lambda's errors or the Glue job's failed runs).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fraudspec.monitoring.alarms.definitions import MAX_ALARM_PERIOD_SECONDS, Alarm, ErrorRate, Metric, alarms
from fraudspec.render.context import Context
from fraudspec.render.document import Expr
from fraudspec.render.monitoring import monitor_errors_metric
from fraudspec.spec.model import Spec
from fraudspec.spec.schedule import window_seconds


@dataclass(frozen=True)
class Webhook:
    """A webhook whose URL stays out of the rendered files: Terraform reads it from a variable."""

    variable: str  # the Terraform variable, set as TF_VAR_<variable> by the runner
    env: str  # the environment variable the spec names in "${env:NAME}"


def webhook_variables(spec: Spec) -> tuple[Webhook, ...]:
    """Rule FS502 allows webhooks only as ${env:NAME}, so every webhook target has a variable."""
    return tuple(Webhook(f"webhook_{name.lower()}", name) for target in spec.alarms.notify
                 if (name := target.webhook_variable) is not None)


def render_alarms(ctx: Context, key: Expr) -> None:
    actions = [_topic(ctx, key)] + [t.sns_topic_arn for t in ctx.spec.alarms.notify if t.sns_topic_arn]
    _declared_alarms(ctx, actions)
    _monitor_alarm(ctx, actions)


def _topic(ctx: Context, key: Expr) -> Expr:
    topic = ctx.config.resource("aws_sns_topic", "alerts", {
        "name": ctx.names.alerts_topic,
        "kms_master_key_id": key.attr("arn"),
    })
    _subscriptions(ctx, topic)
    return topic.attr("arn")


def _subscriptions(ctx: Context, topic: Expr) -> None:
    variables = {w.env: w for w in webhook_variables(ctx.spec)}
    for index, target in enumerate(ctx.spec.alarms.notify):
        endpoint: str | Expr
        if target.email:
            protocol, endpoint = "email", target.email
        elif target.webhook_variable is not None:
            webhook = variables[target.webhook_variable]
            endpoint = ctx.config.variable(webhook.variable, {
                "type": "string",
                "sensitive": True,
                "description": f"alert webhook URL, from ${{env:{webhook.env}}} in the spec",
            })
            protocol = "https"  # the runner refuses a non-https value
        else:
            continue  # an SNS topic target is an alarm action, not a subscription
        ctx.config.resource("aws_sns_topic_subscription", f"notify_{index}", {
            "topic_arn": topic.attr("arn"),
            "protocol": protocol,
            "endpoint": endpoint,
        })


def _declared_alarms(ctx: Context, actions: list) -> None:
    """The spec's alarms (fraudspec.monitoring.alarms.definitions), the same list the local runtime evaluates."""
    for alarm in alarms(ctx.spec):
        metric_alarm(ctx, alarm, actions, actions)


def metric_alarm(ctx: Context, alarm: Alarm, alarm_actions: list, ok_actions: list) -> Expr:
    """One alarm of the list as an `aws_cloudwatch_metric_alarm`."""
    body: dict[str, Any] = {
        "alarm_name": alarm.name,
        "alarm_description": alarm.description,
        "comparison_operator": alarm.comparison,
        "threshold": alarm.threshold,
        "evaluation_periods": alarm.evaluation_periods,
        "treat_missing_data": alarm.treat_missing_data,
        "alarm_actions": alarm_actions,
        "ok_actions": ok_actions,
    }
    if alarm.datapoints_to_alarm is not None:
        body["datapoints_to_alarm"] = alarm.datapoints_to_alarm
    if isinstance(alarm.metric, ErrorRate):
        body["metric_query"] = _rate_query(alarm.metric)
    else:
        body.update(namespace=alarm.metric.namespace, metric_name=alarm.metric.name,
                    dimensions=dict(alarm.metric.dimensions), statistic=alarm.metric.statistic,
                    period=alarm.metric.period)
    return ctx.config.resource("aws_cloudwatch_metric_alarm", alarm.key, body)


def _rate_query(rate: ErrorRate) -> list[dict[str, Any]]:
    return [
        _metric_query("errors", rate.errors),
        _metric_query("invocations", rate.invocations),
        {"id": "rate", "expression": "100 * FILL(errors, 0) / invocations",
         "label": f"{rate.errors.name} (% of invocations)", "return_data": True},
    ]


def _metric_query(query_id: str, metric: Metric) -> dict[str, Any]:
    return {"id": query_id, "return_data": False, "metric": [{
        "namespace": metric.namespace, "metric_name": metric.name, "dimensions": dict(metric.dimensions),
        "period": metric.period, "stat": metric.statistic,
    }]}


def _monitor_alarm(ctx: Context, actions: list) -> None:
    """A failed monitoring run means a window went unchecked: say so rather than stay silent."""
    monitoring = ctx.spec.monitoring
    if not monitoring.enabled or monitoring.engine != "fraudspec":
        return
    ctx.config.resource("aws_cloudwatch_metric_alarm", "monitor_errors", {
        "alarm_name": ctx.names.alarm("monitor-errors"),
        "alarm_description": "A fraudspec monitoring run failed; its window was not checked (see its logs)",
        **monitor_errors_metric(ctx),  # the Lambda's errors, or the Glue job's failed runs
        "statistic": "Sum",
        "period": min(window_seconds(monitoring.schedule), MAX_ALARM_PERIOD_SECONDS),
        "comparison_operator": "GreaterThanThreshold",
        "threshold": 0,
        "evaluation_periods": 1,
        "treat_missing_data": "notBreaching",
        "alarm_actions": actions,
        "ok_actions": actions,
    })
