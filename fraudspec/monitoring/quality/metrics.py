"""The CloudWatch metrics of a model-quality execution, as Model Monitor publishes them.

One datum per metric of statistics.json (recall, precision, ..., auc, au_prc, f1, f2, and the best
constant classifier's), named as there, for Model Monitor's namespace `spec.names.model_metric_namespace`
(aws/sagemaker/Endpoints/model-metrics) with dimensions Endpoint and MonitoringSchedule
(`put_metric_data_requests` of fraudspec.monitoring.engine.metrics shapes the calls). Only an execution whose
constraints were checked emits, and undefined (NaN) metrics are left out: an alarm then sees missing
data, never a value computed on too few labels.
"""

from __future__ import annotations

import math

from fraudspec.monitoring.engine.metrics import MetricDatum
from fraudspec.monitoring.quality.execution import QualityResult


def metric_data(result: QualityResult) -> tuple[MetricDatum, ...]:
    if not result.evaluated or result.metrics is None:
        return ()
    return tuple(MetricDatum(name, value) for name, value in result.metrics.values.items() if math.isfinite(value))
