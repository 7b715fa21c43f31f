"""Model-quality constraints, Model Monitor's constraints.json for them, and the violations they find.

    {"version": 0.0, "binary_classification_constraints": {
        "recall": {"threshold": 0.8, "comparison_operator": "LessThanThreshold"}}}

The operator names the violating side: recall LessThanThreshold 0.8 is a violation when recall < 0.8.
The four operators are CloudWatch's, so a constraint is also the alarm on its metric. An undefined
(NaN) metric violates nothing. A violation in constraint_violations.json:

    {"constraint_check_type": "LessThanThreshold", "description": "Metric recall with 0.5 was
     LessThanThreshold 0.8", "metric_name": "recall"}

(the shape AWS's sample custom-metric containers write; the closed analyzer's wording is unpublished).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fraudspec.core.comparison import BREACHES, Comparison, breaches
from fraudspec.core.jsonfile import DocumentError, get
from fraudspec.monitoring.quality.binary import SCALARS
from fraudspec.spec.model import ModelQualitySpec

SECTION = "binary_classification_constraints"


@dataclass(frozen=True)
class QualityConstraint:
    metric: str  # a name in binary.SCALARS
    threshold: float
    comparison: Comparison

    def violated_by(self, value: float) -> bool:
        return not math.isnan(value) and breaches(value, self.comparison, self.threshold)


@dataclass(frozen=True)
class QualityViolation:
    metric: str
    comparison: Comparison
    value: float
    threshold: float

    @property
    def description(self) -> str:
        return f"Metric {self.metric} with {self.value} was {self.comparison} {self.threshold}"


def from_spec(quality: ModelQualitySpec) -> tuple[QualityConstraint, ...]:
    return tuple(
        QualityConstraint(metric, bound.threshold, bound.comparison) for metric, bound in quality.metrics.items()
    )


def evaluate(constraints: tuple[QualityConstraint, ...], values: Mapping[str, float]) -> tuple[QualityViolation, ...]:
    return tuple(
        QualityViolation(c.metric, c.comparison, values[c.metric], c.threshold)
        for c in constraints
        if c.violated_by(values[c.metric])
    )


def to_json(constraints: tuple[QualityConstraint, ...]) -> dict[str, Any]:
    return {
        "version": 0.0,
        SECTION: {c.metric: {"threshold": c.threshold, "comparison_operator": c.comparison} for c in constraints},
    }


def from_json(document: Any) -> tuple[QualityConstraint, ...]:
    """A constraints.json (written here or by Model Monitor); DocumentError says what is wrong."""
    section = get(document, SECTION, dict, "constraints", default={})
    constraints = []
    for metric, entry in section.items():
        where = f"{SECTION}.{metric}"
        if metric not in SCALARS:
            raise DocumentError(f"{where}: unknown binary classification metric")
        threshold = get(entry, "threshold", (int, float), where)
        comparison = get(entry, "comparison_operator", str, where)
        if comparison not in BREACHES:
            raise DocumentError(f"{where}.comparison_operator must be one of {', '.join(BREACHES)}")
        constraints.append(QualityConstraint(metric, float(threshold), comparison))
    return tuple(constraints)


def violations_json(violations: tuple[QualityViolation, ...]) -> dict[str, Any]:
    return {
        "violations": [
            {"constraint_check_type": v.comparison, "description": v.description, "metric_name": v.metric}
            for v in violations
        ]
    }
