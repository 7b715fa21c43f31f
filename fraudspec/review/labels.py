"""Friendly names and units for spec fields, as a reviewer would say them.

A pattern's `*` matches one path segment and fills `{0}`, `{1}`...; a label of None hides a field
that is derived from another one (a schedule's expressions from what the user wrote). A field
without a pattern is shown by its dotted path.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Label:
    text: str
    unit: str = ""


_PATTERNS: tuple[tuple[str, Label | None], ...] = (
    ("endpoint.serverless.memory_mb", Label("serverless memory", "MB")),
    ("endpoint.serverless.max_concurrency", Label("serverless max concurrency")),
    ("endpoint.serverless.provisioned_concurrency", Label("provisioned concurrency")),
    ("endpoint.serverless", Label("serverless endpoint")),
    ("endpoint.realtime.instance_type", Label("instance type")),
    ("endpoint.realtime.instance_count", Label("instance count")),
    ("endpoint.realtime.autoscaling.min_instances", Label("autoscaling min", "instances")),
    ("endpoint.realtime.autoscaling.max_instances", Label("autoscaling max", "instances")),
    ("endpoint.realtime.autoscaling.target_invocations_per_instance",
     Label("autoscaling target", "invocations per instance per minute")),
    ("endpoint.realtime.autoscaling", Label("autoscaling")),
    ("endpoint.realtime", Label("realtime endpoint")),
    ("endpoint.variant", Label("variant")),
    ("endpoint.rollout.strategy", Label("rollout")),
    ("endpoint.rollout.*", Label("rollout {0}")),
    ("endpoint.rollout", Label("rollout")),
    ("endpoint.challengers.*.mode", Label("challenger {0} mode")),
    ("endpoint.challengers.*.percent", Label("challenger {0} share", "%")),
    ("endpoint.challengers.*.instance_type", Label("challenger {0} instance type")),
    ("endpoint.challengers.*.instance_count", Label("challenger {0} instance count")),
    ("endpoint.challengers.*.model.hyperparameters.*", Label("challenger {0} hyperparameter {1}")),
    ("endpoint.challengers.*.model.*", Label("challenger {0} {1}")),
    ("endpoint.challengers.*.model", Label("challenger {0} model")),
    ("endpoint.challengers.*", Label("challenger {0}")),
    ("capture.enabled", Label("data capture")),
    ("capture.sampling_percent", Label("capture sampling", "%")),
    ("model.algorithm", Label("algorithm")),
    ("model.hyperparameters.*", Label("hyperparameter {0}")),
    ("model.features.*.type", Label("feature {0} type")),
    ("model.features.*", Label("feature {0}")),
    ("model.data.synthetic.*", Label("synthetic data {0}")),
    ("model.data.csv", Label("training data")),
    ("model.data.csv_sha256", Label("training data content")),
    ("model.gate.*", Label("quality gate {0}")),
    ("model.decision_threshold", Label("decision threshold")),
    ("monitoring.enabled", Label("monitoring")),
    ("monitoring.engine", Label("monitoring engine")),
    ("monitoring.runner", Label("monitoring runner")),
    ("monitoring.glue.*", Label("Glue {0}")),
    ("monitoring.schedule.source", Label("monitoring schedule")),
    ("monitoring.schedule.timezone", Label("monitoring time zone")),
    ("monitoring.*.schedule.expression", None),
    ("monitoring.*.schedule.model_monitor", None),
    ("monitoring.schedule.expression", None),
    ("monitoring.schedule.model_monitor", None),
    ("monitoring.drift.method", Label("drift method")),
    ("monitoring.drift.threshold", Label("drift threshold")),
    ("monitoring.drift.features.*", Label("drift threshold {0}")),
    ("monitoring.drift.categorical_threshold", Label("categorical drift threshold")),
    ("monitoring.completeness.threshold", Label("completeness threshold")),
    ("monitoring.completeness.features.*", Label("completeness threshold {0}")),
    ("monitoring.model_quality.metrics.*.threshold", Label("model quality {0} threshold")),
    ("alarms.model_latency_ms", Label("model latency alarm", "ms")),
    ("alarms.overhead_latency_ms", Label("overhead latency alarm", "ms")),
    ("alarms.error_4xx_percent", Label("4XX error alarm", "%")),
    ("alarms.error_5xx_percent", Label("5XX error alarm", "%")),
    ("alarms.cpu_percent", Label("CPU alarm", "%")),
    ("alarms.memory_percent", Label("memory alarm", "%")),
    ("alarms.period_seconds", Label("alarm period", "s")),
    ("alarms.evaluation_periods", Label("alarm evaluation periods")),
    ("alarms.drift.threshold", Label("drift alarm threshold")),
    ("alarms.drift", Label("drift alarm")),
    ("alarms.notify", Label("alarm notifications")),
    ("environment.role_arn", Label("execution role")),
    ("environment.state.*", Label("state {0}")),
    ("environment.tags.*", Label("tag {0}")),
    ("environment.*", Label("{0}")),
    ("tags.*", Label("tag {0}")),
)


def label(path: str) -> Label | None:
    segments = path.split(".")
    for pattern, found in _PATTERNS:
        parts = pattern.split(".")
        if len(parts) != len(segments):
            continue
        if all(part in ("*", segment) for part, segment in zip(parts, segments)):
            wild = [segment for part, segment in zip(parts, segments) if part == "*"]
            return None if found is None else Label(found.text.format(*wild), found.unit)
    return Label(path)
