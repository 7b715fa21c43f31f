"""Model quality as rows (metric, value, std, threshold, comparison, violated), as the JSON-ready document
`monitor quality` prints with --format json, and as the text rendered from that document.

Rows list the constrained metrics first, then the headline ones; `rows_from_summary` rebuilds them
from a stored execution_summary.json, so `fraudspec drift` can show the latest run next to data quality.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from fraudspec.monitoring.quality.execution import summary_json
from fraudspec.monitoring.quality.rows import QualityRow, rows_from_summary
from fraudspec.reports.text import alarm_lines, columns, footer, window_json, window_text

if TYPE_CHECKING:
    from fraudspec.monitoring.quality.execution import QualityResult


def render_rows(rows: Sequence[QualityRow]) -> list[str]:
    header = ("metric", "value", "std", "threshold", "comparison", "violated")
    cells = [(row.metric, _show(row.value), _show(row.std), "-" if row.threshold is None else f"{row.threshold:g}",
              row.comparison or "-", "VIOLATED" if row.violated else "-" if row.threshold is None else "no")
             for row in rows]
    return columns(header, cells)


def quality_document(result: QualityResult, written: Sequence[str] = (), capture: str = "", ground_truth: str = "",
                     on_demand: bool = False) -> dict[str, Any]:
    """execution_summary.json's content, with the windows' exact times, the confusion matrix, each
    violation and where the reports went; `on_demand`: predictions captured since the previous run."""
    matrix = result.metrics.confusion if result.metrics is not None else None
    return {
        **summary_json(result),
        "capture_window": window_json(result.windows.capture, on_demand),
        "label_window": window_json(result.windows.labels),
        "capture": capture or None,
        "ground_truth": ground_truth or None,
        "evaluated": result.evaluated,
        "confusion": None if matrix is None else {
            "true_negatives": matrix.true_negatives, "false_positives": matrix.false_positives,
            "false_negatives": matrix.false_negatives, "true_positives": matrix.true_positives},
        "violations": [{"metric": v.metric, "comparison": v.comparison, "value": v.value, "threshold": v.threshold,
                        "description": v.description} for v in result.violations],
        "reports": list(written),
    }


def render(doc: Mapping[str, Any]) -> str:
    """`monitor quality`'s text, from `quality_document` (plus the envelope's alarm_changes, if any)."""
    counts = doc["records"]
    lines = [
        f"Model-quality execution: {doc['status']}",
        f"Predictions:  captured {window_text(doc['capture_window'])}",
        f"Labels:       arrived in {window_text(doc['label_window'])}",
        *([f"Capture:      {doc['capture']}"] if doc["capture"] else []),
        *([f"Ground truth: {doc['ground_truth']}"] if doc["ground_truth"] else []),
        f"Joined:       {counts['labelled']:,} of {counts['predictions']:,} prediction(s) labelled "
        f"(min_labels {doc['min_labels']}, probability threshold {doc['probability_threshold']:g})",
        f"Unmatched:    {counts['unmatched_labels']:,} label(s) for no prediction of the window, "
        f"{counts['batch_mismatches']:,} batch size mismatch(es), {counts['superseded_labels']:,} superseded",
        f"Malformed:    {counts['malformed_captures']:,} capture line(s), {counts['malformed_labels']:,} label line(s)",
    ]
    if doc["reason"]:
        lines.append(f"Reason:       {doc['reason']}")
    matrix = doc["confusion"]
    if matrix is not None:
        lines += ["", f"Confusion (actual x predicted): TN {matrix['true_negatives']:,}  "
                      f"FP {matrix['false_positives']:,}  FN {matrix['false_negatives']:,}  "
                      f"TP {matrix['true_positives']:,}", "", *render_rows(rows_from_summary(dict(doc)))]
    if doc["evaluated"]:
        violations = doc["violations"]
        lines += ["", f"Violations ({len(violations)}):" if violations else "No violations."]
        lines += [f"  {v['description']}" for v in violations]
    return "\n".join(lines + footer(doc["malformed_examples"], doc["reports"]) + alarm_lines(doc))


def render_latest(summary: Mapping[str, Any] | None, run_hint: str) -> str:
    """The latest model-quality execution_summary.json, as `fraudspec drift` shows it under data quality."""
    if summary is None:
        return f"Model quality: no execution yet (run {run_hint})"
    records = summary["records"]
    lines = [f"Model quality: latest execution {summary['status']}, {records['labelled']} labelled of "
             f"{records['predictions']} prediction(s), {records['unmatched_labels']} unmatched label(s)"]
    return "\n".join(lines + ["  " + line for line in render_rows(rows_from_summary(dict(summary)))])


def _show(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.4f}"
