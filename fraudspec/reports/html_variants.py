"""The HTML drift report of an endpoint with challengers: the variants side by side, then each variant's own part.

The comparison comes first: a line per variant (role, status, window, rows), per feature each variant's
distance against its threshold, and per model-quality metric each variant's value. Below it each variant
has the single-variant report's sections (html_report.sections) under its name, its anchors prefixed so
links stay within its part; only the champion's part shows alarms. Like `render_html`, the page is a
function of its input alone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING

from fraudspec.core.comparison import SYMBOL
from fraudspec.monitoring.quality.rows import QualityRow, rows_from_summary
from fraudspec.reports.html_quality import STATUS_TEXT as QUALITY_STATUS_TEXT
from fraudspec.reports.html_report import STATUS_TEXT, badge, meter, page, sections, table

if TYPE_CHECKING:
    from fraudspec.reports.drift import VariantDrift


def render_variants_html(drifts: Sequence[VariantDrift]) -> str:
    """The page for `drifts` (reports.drift.variant_drifts), champion first."""
    endpoint = drifts[0].report.endpoint
    title = f"Drift report · {endpoint} · {len(drifts)} variant(s)"
    parts = [_header(title, drifts), _overview(drifts), _features(drifts), _quality(drifts)]
    for each in drifts:
        name = each.variant.name
        parts.append(f'<h2 class="variant" id="variant-{escape(name)}">Variant {escape(name)} '
                     f'<span class="meta">({escape(each.variant.role)}, schedule '
                     f'{escape(each.report.schedule)})</span></h2>\n')
        parts += sections(each.report, each.quality, anchor=f"{_anchor(name)}-",
                          alarms=each.variant.role == "champion")
    return page(title, parts)


def _anchor(name: str) -> str:
    return "v-" + "".join(c if c.isalnum() or c in "-_" else "_" for c in name)


def _header(title: str, drifts: Sequence[VariantDrift]) -> str:
    report = drifts[0].report
    links = " · ".join(f'<a href="#variant-{escape(d.variant.name)}">{escape(d.variant.name)}</a>' for d in drifts)
    return ('<header class="top"><div><p class="eyebrow">fraudspec · drift report · variants side by side</p>'
            f"<h1>{escape(title)}</h1>"
            f'<p class="meta">endpoint <b>{escape(report.endpoint)}</b> · environment '
            f"<b>{escape(report.environment)}</b> · variants {links}</p></div></header>\n")


def _overview(drifts: Sequence[VariantDrift]) -> str:
    rows = []
    for each in drifts:
        summary = each.report.summary
        drifted = sum(d.violated for d in summary.drifts)
        quality = "–" if each.quality is None else QUALITY_STATUS_TEXT.get(str(each.quality.get("status")),
                                                                              str(each.quality.get("status")))
        rows.append(f'<tr class="{"flagged" if summary.status != "Completed" else ""}">'
                    f'<td><a href="#variant-{escape(each.variant.name)}">{escape(each.variant.name)}</a></td>'
                    f"<td>{escape(each.variant.role)}</td>"
                    f"<td>{escape(STATUS_TEXT.get(summary.status, summary.status))}</td>"
                    f'<td class="mono">{escape(summary.window_start)} → {escape(summary.window_end)}</td>'
                    f'<td class="num">{summary.counts.rows:,}</td>'
                    f'<td class="num">{drifted} / {len(summary.drifts)}</td>'
                    f"<td>{escape(quality)}</td></tr>")
    head = (("Variant", ""), ("Role", ""), ("Data quality", ""), ("Window", ""), ("Rows", "num"),
            ("Drifted", "num"), ("Model quality", ""))
    return f'<section class="card" id="variants"><h2>Variants</h2>{table(head, rows)}</section>\n'


def _features(drifts: Sequence[VariantDrift]) -> str:
    """Per feature, each variant's distance, threshold, meter and verdict in its own columns."""
    by_variant = [{d.feature: d for d in each.report.summary.drifts} for each in drifts]
    names = list(dict.fromkeys(name for found in by_variant for name in found))
    rows = []
    for name in names:
        cells = []
        for found in by_variant:
            drift = found.get(name)
            if drift is None:
                cells.append('<td class="num">–</td><td class="num">–</td><td></td><td></td>')
                continue
            verdict = badge("drift", "DRIFT") if drift.violated else badge("ok", "ok")
            cells.append(f'<td class="num"><b>{drift.distance:.4f}</b></td><td class="num">{drift.threshold:.4f}</td>'
                         f"<td>{meter(drift)}</td><td>{verdict}</td>")
        flagged = any(found[name].violated for found in by_variant if name in found)
        rows.append(f'<tr class="{"flagged" if flagged else ""}"><td>{escape(name)}</td>{"".join(cells)}</tr>')
    head = [("Feature", "")]
    for each in drifts:
        label = each.variant.name
        head += [(f"{label} distance", "num"), (f"{label} threshold", "num"), (f"{label} vs threshold", ""),
                 (label, "")]
    return (f'<section class="card" id="features-side-by-side"><h2>Drift side by side</h2>'
            f"{table(head, rows)}</section>\n")


def _quality(drifts: Sequence[VariantDrift]) -> str:
    """Per model-quality metric, each variant's value against the (shared) constraint."""
    by_variant: list[dict[str, QualityRow]] = [
        {} if each.quality is None else {row.metric: row for row in rows_from_summary(dict(each.quality))}
        for each in drifts]
    metrics = list(dict.fromkeys(metric for found in by_variant for metric in found))
    if not metrics:
        body = '<p class="empty">No model-quality execution of any variant yet.</p>'
        return f'<section class="card" id="quality-side-by-side"><h2>Model quality side by side</h2>{body}</section>\n'
    rows = []
    for metric in metrics:
        known = next(found[metric] for found in by_variant if metric in found)
        symbol = SYMBOL.get(known.comparison or "", "?")  # the violating side, as the constraint names it
        threshold = "–" if known.threshold is None else f"{escape(symbol)} {known.threshold:g}"
        cells = []
        for found in by_variant:
            row = found.get(metric)
            if row is None:
                cells.append('<td class="num">–</td><td></td>')
                continue
            value = "–" if math.isnan(row.value) else f"{row.value:.4f}"
            verdict = badge("violation", "VIOLATED") if row.violated else (
                badge("ok", "ok") if row.threshold is not None else "")
            cells.append(f'<td class="num"><b>{value}</b></td><td>{verdict}</td>')
        flagged = any(found[metric].violated for found in by_variant if metric in found)
        rows.append(f'<tr class="{"flagged" if flagged else ""}"><td>{escape(metric)}</td><td>{threshold}</td>'
                    f'{"".join(cells)}</tr>')
    head = [("Metric", ""), ("Violated when", "")]
    for each in drifts:
        head += [(each.variant.name, "num"), ("", "")]
    return (f'<section class="card" id="quality-side-by-side"><h2>Model quality side by side</h2>'
            f"{table(head, rows)}</section>\n")
