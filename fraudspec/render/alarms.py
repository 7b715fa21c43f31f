"""Alarms and where they go: an SNS topic encrypted with fraudspec's key (see kms.py), the spec's
subscriptions, one drift alarm per feature, one per model-quality threshold, the monitoring job's failures, and the endpoint's
latency, error-rate and utilisation alarms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from fraudspec.render.context import Context
from fraudspec.render.document import Expr
from fraudspec.render.monitoring import metric_dimensions
from fraudspec.spec.schedule import window_seconds
from fraudspec.spec.model import Spec

ENDPOINT_NAMESPACE = "AWS/SageMaker"
INSTANCE_NAMESPACE = "/aws/sagemaker/Endpoints"
MAX_ALARM_PERIOD_SECONDS = 86400


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
    _drift_alarms(ctx, actions)
    _quality_alarms(ctx, actions)
    _monitor_alarm(ctx, actions)
    _endpoint_alarms(ctx, actions)


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


def _drift_alarms(ctx: Context, actions: list) -> None:
    spec = ctx.spec
    drift = spec.alarms.drift
    if drift is None or not spec.monitoring.enabled or not spec.monitoring.emit_metrics:
        return
    period = min(window_seconds(spec.monitoring.schedule), MAX_ALARM_PERIOD_SECONDS)
    for feature in spec.model.features:
        threshold = spec.drift_alarm_threshold(feature.name)
        ctx.config.resource("aws_cloudwatch_metric_alarm", f"drift_{_identifier(feature.name)}", {
            "alarm_name": ctx.names.alarm(f"drift-{feature.name}"),
            "alarm_description": f"Distribution of '{feature.name}' drifted from the baseline "
                                 f"(distance above {threshold})",
            "namespace": ctx.names.metric_namespace,
            "metric_name": f"feature_baseline_drift_{feature.name}",
            "dimensions": metric_dimensions(ctx),
            "statistic": "Maximum",
            "period": period,
            "comparison_operator": "GreaterThanThreshold",
            "threshold": threshold,
            "evaluation_periods": drift.evaluation_periods,
            "datapoints_to_alarm": drift.datapoints_to_alarm,
            # Runs are periodic: between them the alarm keeps the last run's verdict.
            "treat_missing_data": "ignore",
            "alarm_actions": actions,
            "ok_actions": actions,
        })


def _quality_alarms(ctx: Context, actions: list) -> None:
    """One alarm per model-quality threshold, on the metric the monitoring job emits per run."""
    spec = ctx.spec
    quality = spec.monitoring.model_quality
    if quality is None or not spec.monitoring.enabled:
        return
    for metric, limit in quality.metrics.items():
        ctx.config.resource("aws_cloudwatch_metric_alarm", f"model_quality_{metric}", {
            "alarm_name": ctx.names.alarm(f"model-quality-{metric}"),
            "alarm_description": f"Model quality: {metric} {limit.comparison} {limit.threshold} against ground truth",
            "namespace": spec.names.model_metric_namespace,
            "metric_name": metric,
            "dimensions": {"Endpoint": spec.names.endpoint, "MonitoringSchedule": spec.names.model_quality_schedule},
            "statistic": "Average",
            "period": min(window_seconds(quality.schedule), MAX_ALARM_PERIOD_SECONDS),
            "comparison_operator": limit.comparison,
            "threshold": limit.threshold,
            "evaluation_periods": 1,
            # A run with too few labels emits nothing: the alarm keeps the last verdict.
            "treat_missing_data": "ignore",
            "alarm_actions": actions,
            "ok_actions": actions,
        })


def _monitor_alarm(ctx: Context, actions: list) -> None:
    """A failed monitoring run means a window went unchecked: say so rather than stay silent."""
    monitoring = ctx.spec.monitoring
    if not monitoring.enabled or monitoring.engine != "fraudspec":
        return
    ctx.config.resource("aws_cloudwatch_metric_alarm", "monitor_errors", {
        "alarm_name": ctx.names.alarm("monitor-errors"),
        "alarm_description": "A fraudspec monitoring run failed; its window was not checked (see its logs)",
        "namespace": "AWS/Lambda",
        "metric_name": "Errors",
        "dimensions": {"FunctionName": ctx.names.monitor_function},
        "statistic": "Sum",
        "period": min(window_seconds(monitoring.schedule), MAX_ALARM_PERIOD_SECONDS),
        "comparison_operator": "GreaterThanThreshold",
        "threshold": 0,
        "evaluation_periods": 1,
        "treat_missing_data": "notBreaching",
        "alarm_actions": actions,
        "ok_actions": actions,
    })


def _endpoint_alarms(ctx: Context, actions: list) -> None:
    alarms, names = ctx.spec.alarms, ctx.names
    dimensions = {"EndpointName": names.endpoint, "VariantName": names.variant}
    common = {
        "period": alarms.period_seconds,
        "evaluation_periods": alarms.evaluation_periods,
        "comparison_operator": "GreaterThanThreshold",
        "treat_missing_data": "notBreaching",  # no traffic is not an incident
        "alarm_actions": actions,
        "ok_actions": actions,
    }

    def metric(name: str, metric_name: str, namespace: str, threshold: float, description: str) -> None:
        ctx.config.resource("aws_cloudwatch_metric_alarm", name, {
            **common, "alarm_name": names.alarm(name.replace("_", "-")), "alarm_description": description,
            "namespace": namespace, "metric_name": metric_name, "dimensions": dimensions,
            "statistic": "Average", "threshold": threshold,
        })

    def error_rate(name: str, metric_name: str, percent: float) -> None:
        query = [
            _metric_query("errors", metric_name, dimensions, alarms.period_seconds),
            _metric_query("invocations", "Invocations", dimensions, alarms.period_seconds),
            {"id": "rate", "expression": "100 * FILL(errors, 0) / invocations",
             "label": f"{metric_name} (% of invocations)", "return_data": True},
        ]
        rest = {k: v for k, v in common.items() if k != "period"}
        ctx.config.resource("aws_cloudwatch_metric_alarm", name, {
            **rest, "alarm_name": names.alarm(name.replace("_", "-")), "threshold": percent,
            "alarm_description": f"{metric_name} above {percent}% of invocations", "metric_query": query,
        })

    # Latencies are published in microseconds; the spec speaks milliseconds.
    if alarms.model_latency_ms is not None:
        metric("model_latency", "ModelLatency", ENDPOINT_NAMESPACE, alarms.model_latency_ms * 1000,
               f"Average ModelLatency above {alarms.model_latency_ms} ms")
    if alarms.overhead_latency_ms is not None:
        metric("overhead_latency", "OverheadLatency", ENDPOINT_NAMESPACE, alarms.overhead_latency_ms * 1000,
               f"Average OverheadLatency above {alarms.overhead_latency_ms} ms")
    if alarms.error_4xx_percent is not None:
        error_rate("error_4xx_rate", "Invocation4XXErrors", alarms.error_4xx_percent)
    if alarms.error_5xx_percent is not None:
        error_rate("error_5xx_rate", "Invocation5XXErrors", alarms.error_5xx_percent)
    realtime = ctx.spec.endpoint.realtime
    if realtime is None:
        return  # serverless endpoints publish no instance utilisation
    if alarms.cpu_percent is not None:
        # CPUUtilization adds up the cores (100% = one full vCPU): scale to the whole instance.
        cores = vcpus(realtime.instance_type)
        metric("cpu", "CPUUtilization", INSTANCE_NAMESPACE, alarms.cpu_percent * cores,
               f"Average CPU above {alarms.cpu_percent}% of {cores} vCPUs")
    if alarms.memory_percent is not None:
        metric("memory", "MemoryUtilization", INSTANCE_NAMESPACE, alarms.memory_percent,
               f"Average memory utilisation above {alarms.memory_percent}%")


def _metric_query(query_id: str, metric_name: str, dimensions: dict[str, str], period: int) -> dict[str, Any]:
    return {"id": query_id, "return_data": False, "metric": [{
        "namespace": ENDPOINT_NAMESPACE, "metric_name": metric_name, "dimensions": dimensions,
        "period": period, "stat": "Sum",
    }]}


def vcpus(instance_type: str) -> int:
    """vCPUs of a SageMaker instance type, from its size (regular across hosting families)."""
    family, size = instance_type.split(".")[1:3]
    if size == "medium":
        return 2 if family.startswith("t") else 1
    if size == "large":
        return 2
    multiple = size.removesuffix("xlarge")
    return 4 * (int(multiple) if multiple else 1)


def _identifier(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", name)
