"""The local endpoint's CloudWatch metrics, per alarm period, and its endpoint alarms.

What SageMaker publishes for an endpoint variant (AWS/SageMaker), measured the same way:
`Invocations`, `Invocation4XXErrors`, `Invocation5XXErrors`, `ModelLatency` (time in the model's
code) and `OverheadLatency` (the rest of the request's time in the endpoint), both averages in
microseconds, plus `CaptureFailures` (records the handler could not write). Each period
(`alarms.period_seconds`) becomes one line of `endpoint-metrics.jsonl`, and the spec's endpoint
alarms (monitoring.alarms.definitions, source "endpoint": the list render gives CloudWatch) are
evaluated over that history (runtime.monitoring.record_endpoint_period) with CloudWatch's
semantics: error rates are metric math (100 * errors / Invocations, missing without traffic), and
a period without traffic is missing data (treated as the alarm says: notBreaching).

Every variant has its own metrics, as SageMaker publishes them per `VariantName`: the champion's
periods feed the endpoint alarms (the alarms stay the champion's, the variant callers get answers
from); a challenger's periods are only recorded, in its own workspace, to be shown beside them.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from fraudspec.core import jsonfile
from fraudspec.monitoring.alarms.definitions import Alarm, ErrorRate
from fraudspec.monitoring.alarms.files import read_json_lines
from fraudspec.monitoring.records.hours import iso
from fraudspec.spec.model import Spec

KIND = "endpoint"  # names its history file, beside the data- and model-quality ones
INVOCATIONS, ERRORS_4XX, ERRORS_5XX = "Invocations", "Invocation4XXErrors", "Invocation5XXErrors"
MODEL_LATENCY, OVERHEAD_LATENCY, CAPTURE_FAILURES = "ModelLatency", "OverheadLatency", "CaptureFailures"


@dataclass
class Period:
    """Counts and latency sums of one variant's period; values() gives its datapoints."""

    variant: str = "AllTraffic"  # the VariantName dimension of every datapoint
    invocations: int = 0
    errors_4xx: int = 0
    errors_5xx: int = 0
    model_us: float = 0.0
    overhead_us: float = 0.0
    capture_failures: int = 0

    def values(self) -> dict[str, float]:
        found: dict[str, float] = {INVOCATIONS: self.invocations, ERRORS_4XX: self.errors_4xx,
                                   ERRORS_5XX: self.errors_5xx, CAPTURE_FAILURES: self.capture_failures}
        if self.invocations:  # an average of nothing is missing data, not zero
            found[MODEL_LATENCY] = round(self.model_us / self.invocations, 1)
            found[OVERHEAD_LATENCY] = round(self.overhead_us / self.invocations, 1)
        return found


@dataclass
class EndpointMetrics:
    """One variant's thread-safe counters of the current period; `close_period` hands them over and starts afresh."""

    current: Period = field(default_factory=Period)
    capture_failures_total: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    variant: str = "AllTraffic"

    def __post_init__(self) -> None:
        self.current.variant = self.variant

    def observe(self, status: int, total_seconds: float, model_seconds: float) -> None:
        """One answered invocation (a request the endpoint's handler saw, or refused before it)."""
        with self._lock:
            period = self.current
            period.invocations += 1
            period.errors_4xx += 400 <= status < 500
            period.errors_5xx += status >= 500
            period.model_us += model_seconds * 1e6
            period.overhead_us += max(0.0, total_seconds - model_seconds) * 1e6

    def capture_failed(self, count: int) -> None:
        with self._lock:
            self.current.capture_failures += count
            self.capture_failures_total += count

    def close_period(self) -> Period:
        with self._lock:
            done, self.current = self.current, Period(self.variant)
        return done


def datapoint(alarm: Alarm, values: Mapping[str, float]) -> float | None:
    """The alarm's datapoint in one period: its metric, or the error-rate metric math."""
    if isinstance(alarm.metric, ErrorRate):
        invocations = values.get(alarm.metric.invocations.name)
        errors = values.get(alarm.metric.errors.name)
        return None if not invocations or errors is None else 100.0 * errors / invocations
    return values.get(alarm.metric.name)


def record_challenger_period(view: Spec, period: Period, at: datetime) -> None:
    """A challenger's period, appended to its own history (a line like the champion's, read by `summary`);
    no alarm watches it: the alarms are the champion's."""
    path = view.workspace.metrics_history(KIND)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(jsonfile.line({"window_end": iso(at), "status": "Completed", "metrics": period.values()}))


def summary(spec: Spec) -> dict[str, object]:
    """For `status`: the newest period's metrics (empty before the first period ends) and the capture
    failures of every recorded period."""
    path = spec.workspace.metrics_history(KIND)
    rows = [row for _, row in read_json_lines(path, "endpoint metrics history", "delete it to start afresh")]
    return {
        "period_end": rows[-1].get("window_end") if rows else None,
        "metrics": dict(rows[-1].get("metrics", {})) if rows else {},
        "capture_failures": int(sum(row.get("metrics", {}).get(CAPTURE_FAILURES, 0) for row in rows)),
    }
