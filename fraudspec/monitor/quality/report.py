"""Model quality as rows (metric, value, std, threshold, comparison, violated) and as the table the CLI prints.

Rows list the constrained metrics first, then the headline ones; `rows_from_summary` rebuilds them
from a stored execution_summary.json, so `fraudspec drift` can show the latest run next to data quality.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Sequence

from fraudspec.monitor.report import columns, footer

if TYPE_CHECKING:
    from fraudspec.monitor.quality.execution import QualityResult

HEADLINE = ("recall", "precision", "accuracy", "f1", "f2", "auc", "au_prc", "false_positive_rate", "false_negative_rate")


@dataclass(frozen=True)
class QualityRow:
    metric: str
    value: float  # NaN: undefined on this data
    std: float  # NaN below 200 labelled predictions
    threshold: float | None  # None: the metric has no constraint
    comparison: str | None
    violated: bool

    def as_json(self) -> dict[str, Any]:
        return {"metric": self.metric, "value": self.value, "standard_deviation": self.std,
                "threshold": self.threshold, "comparison_operator": self.comparison, "violated": self.violated}


def quality_rows(result: QualityResult) -> tuple[QualityRow, ...]:
    if result.metrics is None:
        return ()
    constrained = {c.metric: c for c in result.job.constraints}
    violated = {v.metric for v in result.violations}
    names = [*constrained, *(name for name in HEADLINE if name not in constrained)]
    rows = []
    for name in names:
        constraint = constrained.get(name)
        rows.append(QualityRow(name, result.metrics.values[name], result.deviations[name],
                               constraint.threshold if constraint else None, constraint.comparison if constraint else None,
                               name in violated))
    return tuple(rows)


def rows_from_summary(document: dict[str, Any]) -> tuple[QualityRow, ...]:
    """The rows of an execution_summary.json (its nulls are the NaNs JSON cannot carry)."""
    return tuple(QualityRow(row["metric"], _float(row["value"]), _float(row["standard_deviation"]), row["threshold"],
                            row["comparison_operator"], row["violated"]) for row in document.get("metrics", []))


def render_rows(rows: Sequence[QualityRow]) -> list[str]:
    header = ("metric", "value", "std", "threshold", "comparison", "violated")
    cells = [(row.metric, _show(row.value), _show(row.std), "-" if row.threshold is None else f"{row.threshold:g}",
              row.comparison or "-", "VIOLATED" if row.violated else "-" if row.threshold is None else "no")
             for row in rows]
    return columns(header, cells)


def render(result: QualityResult, written: Sequence[str] = (), capture: str = "", ground_truth: str = "") -> str:
    counts = result.counts
    lines = [
        f"Model-quality execution: {result.status}",
        f"Predictions:  captured in {result.windows.capture.label()}",
        f"Labels:       arrived in {result.windows.labels.label()}",
        *([f"Capture:      {capture}"] if capture else []),
        *([f"Ground truth: {ground_truth}"] if ground_truth else []),
        f"Joined:       {counts.labelled:,} of {counts.predictions:,} prediction(s) labelled "
        f"(min_labels {result.job.min_labels}, probability threshold {result.job.probability_threshold:g})",
        f"Unmatched:    {counts.unmatched_labels:,} label(s) for no prediction of the window, "
        f"{counts.batch_mismatches:,} batch size mismatch(es), {counts.superseded_labels:,} superseded",
        f"Malformed:    {counts.malformed_captures:,} capture line(s), {counts.malformed_labels:,} label line(s)",
    ]
    if result.reason:
        lines.append(f"Reason:       {result.reason}")
    if result.metrics is not None:
        c = result.metrics.confusion
        lines += ["", f"Confusion (actual x predicted): TN {c.true_negatives:,}  FP {c.false_positives:,}  "
                      f"FN {c.false_negatives:,}  TP {c.true_positives:,}", "", *render_rows(quality_rows(result))]
    if result.evaluated:
        lines += ["", f"Violations ({len(result.violations)}):" if result.violations else "No violations."]
        lines += [f"  {v.description}" for v in result.violations]
    return "\n".join(lines + footer(result.malformed_examples, written))


def _show(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.4f}"


def _float(value: float | None) -> float:
    return math.nan if value is None else float(value)
