"""The CloudWatch metrics of an execution, as Model Monitor publishes them, and `put_metric_data` requests.

Per feature with emit_metrics enabled: `feature_baseline_drift_<f>` (the drift distance, when one was
computed), `feature_non_null_<f>` (the non-null fraction) and, for numeric features,
`feature_data_<f>` as a statistic set (count, sum, min, max; CloudWatch derives the average).
Dimensions are `Endpoint` and `MonitoringSchedule`, the ones AWS's examples query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fraudspec.monitoring.engine.execution import ExecutionResult

REQUEST_SIZE = 20  # datums per PutMetricData call: CloudWatch's historical limit, accepted everywhere


@dataclass(frozen=True)
class StatisticSet:
    sample_count: float
    sum: float
    minimum: float
    maximum: float


@dataclass(frozen=True)
class MetricDatum:
    name: str
    value: float | None = None
    statistics: StatisticSet | None = None


def metric_data(result: ExecutionResult) -> tuple[MetricDatum, ...]:
    """Nothing for a Failed execution (Model Monitor publishes none either)."""
    if result.statistics is None:
        return ()
    drifts = {drift.feature: drift for drift in result.drifts}
    data = []
    for name in result.metric_features:
        stats = result.statistics.feature(name)
        if stats is None:
            continue
        if name in drifts:
            data.append(MetricDatum(f"feature_baseline_drift_{name}", drifts[name].distance))
        data.append(MetricDatum(f"feature_non_null_{name}", stats.completeness))
        if stats.numeric is not None:
            numbers = stats.numeric
            data.append(MetricDatum(f"feature_data_{name}", statistics=StatisticSet(
                float(numbers.sketch.count), numbers.sum, numbers.min, numbers.max)))
    return tuple(data)


def put_metric_data_requests(
    data: tuple[MetricDatum, ...], namespace: str, endpoint: str, schedule: str, timestamp: datetime
) -> list[dict[str, Any]]:
    """Keyword arguments for boto3's `cloudwatch.put_metric_data`, one dict per call."""
    dimensions = [{"Name": "Endpoint", "Value": endpoint}, {"Name": "MonitoringSchedule", "Value": schedule}]
    shaped = []
    for datum in data:
        entry: dict[str, Any] = {
            "MetricName": datum.name,
            "Dimensions": dimensions,
            "Timestamp": timestamp,
            "Unit": "None",
        }
        if datum.statistics is not None:
            s = datum.statistics
            entry["StatisticValues"] = {
                "SampleCount": s.sample_count,
                "Sum": s.sum,
                "Minimum": s.minimum,
                "Maximum": s.maximum,
            }
        else:
            entry["Value"] = datum.value
        shaped.append(entry)
    return [
        {"Namespace": namespace, "MetricData": shaped[i : i + REQUEST_SIZE]}
        for i in range(0, len(shaped), REQUEST_SIZE)
    ]
