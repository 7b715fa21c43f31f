"""The HTML report's model-quality section: the latest model-quality execution beside data quality.

It reads the execution_summary.json that `monitor quality` and the schedules write (rows rebuilt by
`rows_from_summary`), so the page shows exactly what `fraudspec drift` prints.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from html import escape
from typing import Any

from fraudspec.monitoring.quality.rows import rows_from_summary

STATUS_TEXT = {"Completed": "✓ Completed", "CompletedWithViolations": "⚠ Completed with violations",
               "InsufficientData": "… Insufficient data", "Failed": "✕ Failed"}


def quality_section(summary: Mapping[str, Any] | None, anchor: str = "") -> str:
    if summary is None:
        body = ('<p class="empty">No model-quality execution yet (configure monitoring.model_quality and run '
                '<code>fraudspec monitor quality</code>).</p>')
        return f'<section class="card" id="{anchor}model-quality"><h2>Model quality</h2>{body}</section>\n'
    records = summary.get("records", {})
    window = summary.get("capture_window", {})
    status = str(summary.get("status", ""))
    meta = (f'<p class="meta">{escape(STATUS_TEXT.get(status, status))} · predictions captured '
            f'<b>{escape(str(window.get("start", "–")))}</b> → <b>{escape(str(window.get("end", "–")))}</b> · '
            f'{int(records.get("labelled", 0)):,} labelled of {int(records.get("predictions", 0)):,} · '
            f'{int(records.get("unmatched_labels", 0)):,} unmatched label(s)</p>')
    reason = summary.get("reason")
    if reason:
        meta += f'<p class="reason"><b>Reason:</b> {escape(str(reason))}</p>'
    rows = []
    for row in rows_from_summary(dict(summary)):
        verdict = "violation" if row.violated else ("ok" if row.threshold is not None else "none")
        text = "VIOLATED" if row.violated else ("ok" if row.threshold is not None else "no threshold")
        threshold = "–" if row.threshold is None else f"{row.threshold:g}"
        rows.append(f'<tr class="{"flagged" if row.violated else ""}"><td>{escape(row.metric)}</td>'
                    f'<td class="num"><b>{_number(row.value)}</b></td><td class="num">{_number(row.std)}</td>'
                    f'<td class="num">{threshold}</td><td>{escape(row.comparison or "–")}</td>'
                    f'<td><span class="badge badge-{verdict}">{text}</span></td></tr>')
    head = "".join(f'<th class="{css}">{label}</th>' for label, css in (
        ("Metric", ""), ("Value", "num"), ("Std dev", "num"), ("Threshold", "num"), ("Comparison", ""), ("Result", "")))
    table = f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>" if rows else ""
    return f'<section class="card" id="{anchor}model-quality"><h2>Model quality</h2>{meta}{table}</section>\n'


def _number(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:.4f}"
