"""Every alarm an environment's spec declares, defined once.

Render turns each into an `aws_cloudwatch_metric_alarm`; the local runtime evaluates the ones whose
metrics it produces itself (drift and model quality) with CloudWatch's semantics
(fraudspec.monitoring.alarms.evaluate), so both hold the same alarms with the same names, metrics,
thresholds and missing-data treatment:

- drift: one per feature on `feature_baseline_drift_<feature>` (alarms.drift, monitoring on and
  emitting metrics), maximum over the monitoring window;
- model quality: one per threshold in monitoring.model_quality.metrics (monitoring on);
- endpoint: model and overhead latency (published in microseconds; the spec speaks milliseconds),
  4xx and 5xx rates as a share of invocations, CPU and memory on realtime endpoints.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from fraudspec.core.comparison import Comparison
from fraudspec.spec.model import Spec
from fraudspec.spec.schedule import window_seconds

ENDPOINT_NAMESPACE = "AWS/SageMaker"
INSTANCE_NAMESPACE = "/aws/sagemaker/Endpoints"
MAX_ALARM_PERIOD_SECONDS = 86400  # CloudWatch's longest alarm period
Source = Literal["drift", "model_quality", "endpoint", "idle"]
MissingData = Literal["missing", "breaching", "notBreaching", "ignore"]  # CloudWatch's treat_missing_data


@dataclass(frozen=True)
class Metric:
    namespace: str
    name: str
    dimensions: Mapping[str, str]
    statistic: str
    period: int  # seconds


@dataclass(frozen=True)
class ErrorRate:
    """`100 * errors / invocations` over `period`: an endpoint's error metric as a share of its traffic."""

    errors: Metric  # the error count (Sum)
    invocations: Metric  # Invocations (Sum)


@dataclass(frozen=True)
class Alarm:
    key: str  # a stable identifier (the Terraform resource name)
    name: str  # the CloudWatch alarm name
    description: str
    source: Source
    metric: Metric | ErrorRate
    comparison: Comparison
    threshold: float
    evaluation_periods: int
    treat_missing_data: MissingData
    datapoints_to_alarm: int | None = None  # None: CloudWatch's default, evaluation_periods

    @property
    def metric_name(self) -> str:
        """The metric a datapoint belongs to (for an error rate, the error metric's name)."""
        return self.metric.name if isinstance(self.metric, Metric) else self.metric.errors.name

    @property
    def breaching_datapoints(self) -> int:
        return self.datapoints_to_alarm or self.evaluation_periods


def data_dimensions(spec: Spec) -> dict[str, str]:
    """The dimensions Model Monitor publishes drift metrics with; fraudspec's job uses the same."""
    return {"Endpoint": spec.names.endpoint, "MonitoringSchedule": spec.names.monitoring_schedule}


def alarms(spec: Spec) -> tuple[Alarm, ...]:
    """Every alarm of the environment: drift, then model quality, then the endpoint's."""
    return (*drift_alarms(spec), *quality_alarms(spec), *endpoint_alarms(spec))


def drift_alarms(spec: Spec) -> tuple[Alarm, ...]:
    drift, monitoring = spec.alarms.drift, spec.monitoring
    if drift is None or not monitoring.enabled or not monitoring.emit_metrics:
        return ()
    period = min(window_seconds(monitoring.schedule), MAX_ALARM_PERIOD_SECONDS)
    found = []
    for feature in spec.model.feature_names:
        threshold = spec.drift_alarm_threshold(feature)
        found.append(Alarm(
            key=f"drift_{_identifier(feature)}",
            name=spec.names.alarm(f"drift-{feature}"),
            description=f"Distribution of '{feature}' drifted from the baseline (distance above {threshold})",
            source="drift",
            metric=Metric(spec.names.metric_namespace, f"feature_baseline_drift_{feature}", data_dimensions(spec),
                          "Maximum", period),
            comparison="GreaterThanThreshold",
            threshold=threshold,
            evaluation_periods=drift.evaluation_periods,
            datapoints_to_alarm=drift.datapoints_to_alarm,
            treat_missing_data="ignore",  # runs are periodic: between them the alarm keeps the last verdict
        ))
    return tuple(found)


def quality_alarms(spec: Spec) -> tuple[Alarm, ...]:
    """One alarm per model-quality threshold, on the metric the monitoring job emits per run."""
    quality = spec.monitoring.model_quality
    if quality is None or not spec.monitoring.enabled:
        return ()
    dimensions = {"Endpoint": spec.names.endpoint, "MonitoringSchedule": spec.names.model_quality_schedule}
    period = min(window_seconds(quality.schedule), MAX_ALARM_PERIOD_SECONDS)
    return tuple(Alarm(
        key=f"model_quality_{metric}",
        name=spec.names.alarm(f"model-quality-{metric}"),
        description=f"Model quality: {metric} {limit.comparison} {limit.threshold} against ground truth",
        source="model_quality",
        metric=Metric(spec.names.model_metric_namespace, metric, dimensions, "Average", period),
        comparison=limit.comparison,
        threshold=limit.threshold,
        evaluation_periods=1,
        treat_missing_data="ignore",  # a run with too few labels emits nothing: the alarm keeps its verdict
    ) for metric, limit in quality.metrics.items())


def endpoint_alarms(spec: Spec) -> tuple[Alarm, ...]:
    settings, realtime = spec.alarms, spec.endpoint.realtime
    period = settings.period_seconds
    dimensions = {"EndpointName": spec.names.endpoint, "VariantName": spec.endpoint.variant}

    def metric(namespace: str, name: str, statistic: str = "Average") -> Metric:
        return Metric(namespace, name, dimensions, statistic, period)

    def alarm(key: str, watched: Metric | ErrorRate, threshold: float, description: str) -> Alarm:
        return Alarm(key=key, name=spec.names.alarm(key.replace('_', '-')), description=description,
                     source="endpoint", metric=watched, comparison="GreaterThanThreshold", threshold=threshold,
                     evaluation_periods=settings.evaluation_periods,
                     treat_missing_data="notBreaching")  # no traffic is not an incident

    def rate(errors: str) -> ErrorRate:
        return ErrorRate(metric(ENDPOINT_NAMESPACE, errors, "Sum"), metric(ENDPOINT_NAMESPACE, "Invocations", "Sum"))

    found = []
    if settings.model_latency_ms is not None:
        found.append(
            alarm(
                "model_latency",
                metric(ENDPOINT_NAMESPACE, "ModelLatency"),
                settings.model_latency_ms * 1000,
                f"Average ModelLatency above {settings.model_latency_ms} ms",
            )
        )
    if settings.overhead_latency_ms is not None:
        found.append(
            alarm(
                "overhead_latency",
                metric(ENDPOINT_NAMESPACE, "OverheadLatency"),
                settings.overhead_latency_ms * 1000,
                f"Average OverheadLatency above {settings.overhead_latency_ms} ms",
            )
        )
    if settings.error_4xx_percent is not None:
        found.append(
            alarm(
                "error_4xx_rate",
                rate("Invocation4XXErrors"),
                settings.error_4xx_percent,
                f"Invocation4XXErrors above {settings.error_4xx_percent}% of invocations",
            )
        )
    if settings.error_5xx_percent is not None:
        found.append(
            alarm(
                "error_5xx_rate",
                rate("Invocation5XXErrors"),
                settings.error_5xx_percent,
                f"Invocation5XXErrors above {settings.error_5xx_percent}% of invocations",
            )
        )
    if (capture := capture_alarm(spec)) is not None:
        found.append(capture)
    if realtime is None:
        return tuple(found)  # serverless endpoints publish no instance utilisation
    if settings.cpu_percent is not None:
        # CPUUtilization adds up the cores (100% = one full vCPU): scale to the whole instance.
        cores = vcpus(realtime.instance_type)
        found.append(
            alarm(
                "cpu",
                metric(INSTANCE_NAMESPACE, "CPUUtilization"),
                settings.cpu_percent * cores,
                f"Average CPU above {settings.cpu_percent}% of {cores} vCPUs",
            )
        )
    if settings.memory_percent is not None:
        found.append(
            alarm(
                "memory",
                metric(INSTANCE_NAMESPACE, "MemoryUtilization"),
                settings.memory_percent,
                f"Average memory utilisation above {settings.memory_percent}%",
            )
        )
    return tuple(found)


def idle_alarm(spec: Spec) -> Alarm | None:
    """The endpoint had no invocation in `idle_after_days` whole days (environments.<env>.idle_after_days).

    Not one of the spec's declared alarms (`alarms`): it starts the idle clean-up (render.idle) and
    exists on AWS only; the local runtime watches its own requests (runtime.idle). Missing data is
    breaching because an endpoint nobody calls publishes no Invocations at all.
    """
    days = spec.environment.idle_after_days
    if days is None:
        return None
    dimensions = {"EndpointName": spec.names.endpoint, "VariantName": spec.endpoint.variant}
    return Alarm(key="idle", name=spec.names.alarm("idle"),
                 description=f"No invocations for {days} days: fraudspec deletes the endpoint (apply brings it back)",
                 source="idle", metric=Metric(ENDPOINT_NAMESPACE, "Invocations", dimensions, "Sum",
                                              MAX_ALARM_PERIOD_SECONDS),
                 comparison="LessThanThreshold", threshold=1, evaluation_periods=days, treat_missing_data="breaching")


def capture_alarm(spec: Spec) -> Alarm | None:
    """Capture records the handler could not write (capture.on_failure), any in one period: where the
    handler captures, i.e. the local runtime and serverless endpoints (SageMaker captures realtime ones).
    The local runtime counts them itself; on AWS the handler publishes them (capture.py)."""
    if not spec.capture.enabled or (spec.environment.target == "aws" and spec.endpoint.kind != "serverless"):
        return None
    dimensions = {"EndpointName": spec.names.endpoint, "VariantName": spec.endpoint.variant}
    return Alarm(key="capture_failures", name=spec.names.alarm("capture-failures"),
                 description="Capture records could not be written (capture.on_failure says what the callers got)",
                 source="endpoint", metric=Metric(spec.names.capture_metric_namespace, "CaptureFailures", dimensions,
                                                  "Sum", spec.alarms.period_seconds),
                 comparison="GreaterThanThreshold", threshold=0, evaluation_periods=1,
                 treat_missing_data="notBreaching")


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
