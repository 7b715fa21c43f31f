"""Model quality as rows: metric, value, std, threshold, comparison, violated.

Rows list the constrained metrics first, then the headline ones; `rows_from_summary` rebuilds them
from a stored execution_summary.json, so `fraudspec drift` can show the latest run next to data quality.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fraudspec.monitoring.quality.execution import QualityResult

HEADLINE = (
    "recall",
    "precision",
    "accuracy",
    "f1",
    "f2",
    "auc",
    "au_prc",
    "false_positive_rate",
    "false_negative_rate",
)


@dataclass(frozen=True)
class QualityRow:
    metric: str
    value: float  # NaN: undefined on this data
    std: float  # NaN below 200 labelled predictions
    threshold: float | None  # None: the metric has no constraint
    comparison: str | None
    violated: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "metric": self.metric,
            "value": self.value,
            "standard_deviation": self.std,
            "threshold": self.threshold,
            "comparison_operator": self.comparison,
            "violated": self.violated,
        }


def quality_rows(result: QualityResult) -> tuple[QualityRow, ...]:
    if result.metrics is None:
        return ()
    constrained = {c.metric: c for c in result.job.constraints}
    violated = {v.metric for v in result.violations}
    names = [*constrained, *(name for name in HEADLINE if name not in constrained)]
    rows = []
    for name in names:
        constraint = constrained.get(name)
        rows.append(
            QualityRow(
                name,
                result.metrics.values[name],
                result.deviations[name],
                constraint.threshold if constraint else None,
                constraint.comparison if constraint else None,
                name in violated,
            )
        )
    return tuple(rows)


def rows_from_summary(document: dict[str, Any]) -> tuple[QualityRow, ...]:
    """The rows of an execution_summary.json (its nulls are the NaNs JSON cannot carry)."""
    return tuple(
        QualityRow(
            row["metric"],
            _float(row["value"]),
            _float(row["standard_deviation"]),
            row["threshold"],
            row["comparison_operator"],
            row["violated"],
        )
        for row in document.get("metrics", [])
    )


def _float(value: float | None) -> float:
    return math.nan if value is None else float(value)
