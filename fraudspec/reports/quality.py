"""Model quality as rows (metric, value, std, threshold, comparison, violated) and as the table the CLI prints.

Rows list the constrained metrics first, then the headline ones; `rows_from_summary` rebuilds them
from a stored execution_summary.json, so `fraudspec drift` can show the latest run next to data quality.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from fraudspec.monitoring.quality.rows import QualityRow, quality_rows
from fraudspec.reports.text import columns, footer

if TYPE_CHECKING:
    from fraudspec.monitoring.quality.execution import QualityResult

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
