"""One CloudWatch dashboard: endpoint traffic, errors and latency, utilisation (realtime),
per-feature drift against its threshold, and the monitoring job itself.

With challengers, every variant's lines share the endpoint's graphs (champion first), and each
challenger's drift has a widget of its own beside the champion's: its jobs publish under its own
schedule name. Alarms stay the champion's, so thresholds are drawn as the champion's are.
"""

from __future__ import annotations

from typing import Any

from fraudspec.monitoring.alarms.definitions import (
    ENDPOINT_NAMESPACE,
    INSTANCE_NAMESPACE,
    MAX_ALARM_PERIOD_SECONDS,
    data_dimensions,
)
from fraudspec.render import glue
from fraudspec.render.context import Context
from fraudspec.render.document import Expr
from fraudspec.spec.model import Spec
from fraudspec.spec.schedule import window_seconds

WIDTH, HEIGHT = 12, 6


def render_dashboard(ctx: Context) -> None:
    widgets = _widgets(ctx)
    for index, widget in enumerate(widgets):
        widget.update(x=(index % 2) * WIDTH, y=(index // 2) * HEIGHT, width=WIDTH, height=HEIGHT)
    # The body is a local value, not a JSON string: the rendered file then holds it one item a line,
    # so a change to the dashboard is a readable diff; jsonencode turns it into the string AWS wants.
    dashboard = ctx.config.local("dashboard", {"widgets": widgets})
    ctx.config.resource("aws_cloudwatch_dashboard", "main", {"dashboard_name": ctx.names.dashboard,
                                                             "dashboard_body": Expr(f"jsonencode({dashboard.text})")})


def _widgets(ctx: Context) -> list[dict[str, Any]]:
    names = ctx.names
    variants = [variant.name for variant in ctx.spec.endpoint.variants]

    def per_variant(namespace: str, metrics: tuple[str, ...]) -> list[list[str]]:
        return [[namespace, metric, "EndpointName", names.endpoint, "VariantName", variant]
                for variant in variants for metric in metrics]

    widgets = [
        _metrics(ctx, "Invocations and errors", "Sum", 60,
                 per_variant(ENDPOINT_NAMESPACE, ("Invocations", "Invocation4XXErrors", "Invocation5XXErrors"))),
        _metrics(ctx, "Latency (microseconds)", "Average", 60,
                 per_variant(ENDPOINT_NAMESPACE, ("ModelLatency", "OverheadLatency"))),
    ]
    if ctx.spec.endpoint.kind == "realtime":
        widgets.append(_metrics(ctx, "Utilisation (%)", "Average", 60,
                                per_variant(INSTANCE_NAMESPACE, ("CPUUtilization", "MemoryUtilization"))))
    monitoring = ctx.spec.monitoring
    if monitoring.enabled and monitoring.emit_metrics:
        widgets += [_drift(ctx, view) for view in ctx.spec.variant_specs]
    if monitoring.enabled and monitoring.engine == "fraudspec" and monitoring.runner == "glue":
        # A Glue run's failure is an event, counted by the rule render.glue matches it with.
        failed = glue.failure_metric(ctx)
        widgets.append(_metrics(ctx, "Monitoring job: failed Glue runs", "Sum", 3600,
                                [[failed["namespace"], failed["metric_name"],
                                  *(part for pair in failed["dimensions"].items() for part in pair)]]))
    elif monitoring.enabled and monitoring.engine == "fraudspec":
        widgets.append(_metrics(ctx, "Monitoring job", "Sum", 3600,
                                [["AWS/Lambda", metric, "FunctionName", names.monitor_function]
                                 for metric in ("Invocations", "Errors")]))
    return widgets


def _drift(ctx: Context, view: Spec) -> dict[str, Any]:
    """One variant's drift (`view`: the champion's spec or a challenger's view of it)."""
    dimensions = [part for pair in data_dimensions(view).items() for part in pair]
    features = [f.name for f in view.model.features]
    title = "Feature drift (distance to baseline)"
    widget = _metrics(
        ctx, title if view.challenger is None else f"{title}: challenger {view.challenger}", "Maximum",
        min(window_seconds(view.monitoring.schedule), MAX_ALARM_PERIOD_SECONDS),
        [[view.names.metric_namespace, f"feature_baseline_drift_{feature}", *dimensions] for feature in features],
    )
    thresholds = sorted({ctx.spec.drift_alarm_threshold(feature) for feature in features})
    widget["properties"]["annotations"] = {"horizontal": [
        {"label": f"threshold {value}", "value": value} for value in thresholds
    ]}
    return widget


def _metrics(ctx: Context, title: str, stat: str, period: int, metrics: list[list[str]]) -> dict[str, Any]:
    return {"type": "metric", "properties": {
        "title": title, "region": ctx.region, "stat": stat, "period": period, "view": "timeSeries",
        "metrics": metrics,
    }}
