"""statistics.json of a model-quality execution, in Model Monitor's layout:

    {"version": 0.0, "dataset": {"item_count": 420, "evaluation_time": "2024-05-01T11:00:00Z"},
     "binary_classification_metrics": {
        "confusion_matrix": {"0": {"0": TN, "1": FP}, "1": {"0": FN, "1": TP}},   # actual, then predicted
        "recall": {"value": 0.8, "standard_deviation": 0.01}, ...,
        "receiver_operating_characteristic_curve": {"false_positive_rates": [...], "true_positive_rates": [...]},
        "precision_recall_curve": {"precisions": [...], "recalls": [...]}, "auc": {...}, ...}}

Metrics come in the order of AWS's documented example, with au_prc after auc. Undefined values
and deviations are the string "NaN", as Model Monitor (Jackson) writes them. evaluation_time is
the end of the execution's label window, not the wall clock, so a rerun writes the same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from fraudspec.monitoring.quality.binary import BinaryMetrics
from fraudspec.monitoring.records.hours import iso

_CURVES_AFTER = "false_negative_rate"  # the curves sit between the rates and auc


def to_json(metrics: BinaryMetrics, deviations: Mapping[str, float], item_count: int,
            evaluation_time: datetime) -> dict[str, Any]:
    c = metrics.confusion
    section: dict[str, Any] = {"confusion_matrix": {
        "0": {"0": c.true_negatives, "1": c.false_positives},
        "1": {"0": c.false_negatives, "1": c.true_positives},
    }}
    for name, value in metrics.values.items():
        section[name] = {"value": _number(value), "standard_deviation": _number(deviations[name])}
        if name == _CURVES_AFTER:
            section["receiver_operating_characteristic_curve"] = {
                "false_positive_rates": list(metrics.roc.x), "true_positive_rates": list(metrics.roc.y)}
            section["precision_recall_curve"] = {
                "precisions": list(metrics.precision_recall.y), "recalls": list(metrics.precision_recall.x)}
    return {"version": 0.0, "dataset": {"item_count": item_count, "evaluation_time": iso(evaluation_time)},
            "binary_classification_metrics": section}


def _number(value: float) -> float | str:
    return value if math.isfinite(value) else "NaN"
