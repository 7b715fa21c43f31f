"""The HTML drift report: one self-contained page for the newest monitoring execution.

`render_html` turns a `DriftReportInput` (see `html_input`, which also reads one from the report
files) into a page that fetches nothing: CSS and SVG are inline and a Content-Security-Policy
forbids any other source, so it opens the same from a laptop, an S3 download or a CI artifact.
The output is a function of the input alone (no clock), so the same files give the same bytes.
Every piece of text from the files passes through `html.escape`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

from fraudspec.monitoring.engine.checks import Drift
from fraudspec.monitoring.engine.statistics import CATEGORY_LIMIT, FeatureStatistics
from fraudspec.reports.html_input import DriftReportInput, load_report_input
from fraudspec.reports.html_plots import categories_svg, numeric_svgs
from fraudspec.reports.html_quality import quality_section
from fraudspec.reports.html_style import CSS

__all__ = ["DriftReportInput", "badge", "load_report_input", "meter", "page", "render_html", "sections", "table"]

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
MAX_ALARM_EVENTS = 50  # newest first; the log grows for as long as the environment lives
STATUS_TEXT = {"Completed": "✓ Completed", "CompletedWithViolations": "⚠ Completed with violations",
               "Failed": "✕ Failed"}
ALARM_STATES = ("ALARM", "OK", "INSUFFICIENT_DATA")
NUMERIC_SUMMARY = (("mean", "mean"), ("std dev", "std_dev"), ("min", "min"), ("max", "max"))
# What each distance is, beside every number: the charts draw the simple KS gap, a robust distance subtracts noise.
METHOD_TEXT = {("Numerical", "Robust"): "robust KS: D minus sampling noise", ("Numerical", "Simple"): "simple KS D",
               ("Categorical", "Robust"): "robust L∞ minus sampling noise", ("Categorical", "Simple"): "L∞",
               ("Categorical", "ChiSquared"): "χ²: 1 − p"}


def method_text(drift: Drift) -> str:
    return METHOD_TEXT.get((drift.kind, drift.method), drift.method)


def render_html(report: DriftReportInput, model_quality: Mapping[str, Any] | None = None) -> str:
    """The page; `model_quality` is the latest model-quality execution_summary.json, None without one."""
    return page(report.title, (_header(report), *sections(report, model_quality)))


def sections(report: DriftReportInput, model_quality: Mapping[str, Any] | None, anchor: str = "",
             alarms: bool = True) -> tuple[str, ...]:
    """Everything below the header: one variant's part of a side-by-side page (html_variants) too, where
    `anchor` keeps each variant's links apart and a challenger (`alarms` False) has no alarms to show."""
    return (_tiles(report), _feature_table(report, anchor), _violations(report), _distributions(report, anchor),
            quality_section(model_quality, anchor), _alarms(report) if alarms else _no_alarms(), _footer(report))


def page(title: str, parts: Iterable[str]) -> str:
    """The self-contained document around `parts`."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head>\n"
        f"<body><main>\n{''.join(parts)}</main></body></html>\n"
    )


def _features(report: DriftReportInput) -> list[str]:
    """The baseline's features in order, then any the current data added."""
    names = [f.name for f in report.baseline.features]
    extra = [f.name for f in report.current.features if f.name not in names] if report.current else []
    return names + extra


def _current(report: DriftReportInput, name: str) -> FeatureStatistics | None:
    return report.current.feature(name) if report.current is not None else None


def _verdict(report: DriftReportInput, name: str, drift: Drift | None) -> tuple[str, str]:
    """(badge class, badge text): drift beats other violations; no distance and no violation is "ok"
    only when the feature was actually compared."""
    if drift is not None and drift.violated:
        return "drift", "DRIFT"
    if any(v.feature_name == name for v in report.violations):
        return "violation", "violation"
    if drift is None and _current(report, name) is None:
        return "none", "not compared"
    return "ok", "ok"


def badge(kind: str, text: str) -> str:
    return f'<span class="badge badge-{kind}">{escape(text)}</span>'


def _statebadge(state: str) -> str:
    return badge(state if state in ALARM_STATES else "other", state)


def table(head: Iterable[tuple[str, str]], rows: Iterable[str]) -> str:
    """head: (label, css class) pairs; rows: ready <tr> elements."""
    cells = "".join(f'<th class="{css}">{escape(label)}</th>' for label, css in head)
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _header(report: DriftReportInput) -> str:
    summary = report.summary
    status = STATUS_TEXT.get(summary.status, summary.status)
    header = (
        '<header class="top"><div><p class="eyebrow">fraudspec · drift report</p>'
        f"<h1>{escape(report.title)}</h1>"
        f'<p class="meta">endpoint <b>{escape(report.endpoint)}</b> · environment <b>{escape(report.environment)}</b>'
        f" · schedule <b>{escape(report.schedule)}</b></p>"
        f'<p class="meta">window <b>{escape(summary.window_start)}</b> → <b>{escape(summary.window_end)}</b></p></div>'
        f'<div class="status status-{escape(summary.status)}">{escape(status)}</div></header>\n'
    )
    if summary.failure_reason:
        header += f'<p class="reason"><b>Reason:</b> {escape(summary.failure_reason)}</p>\n'
    return header


def _tile(label: str, value: str, note: str = "", alert: bool = False) -> str:
    return (f'<div class="tile{" alert" if alert else ""}"><div class="label">{escape(label)}</div>'
            f'<div class="value">{escape(value)}</div><div class="note">{escape(note)}</div></div>')


def _tiles(report: DriftReportInput) -> str:
    drifts, counts = report.summary.drifts, report.summary.counts
    drifted = sum(d.violated for d in drifts)
    alarming = sum(state == "ALARM" for state in report.alarm_states.values())
    tiles = (
        _tile("Drifted features", f"{drifted} / {len(drifts)}", "distance above threshold", drifted > 0),
        _tile("Violations", f"{len(report.violations):,}", "all six checks", bool(report.violations)),
        _tile("Rows analysed", f"{counts.rows:,}", f"{counts.lines:,} lines · {counts.malformed:,} malformed",
              counts.malformed > 0),
        _tile("Baseline rows", f"{report.baseline.item_count:,}", "training data profile"),
        _tile("Alarms in ALARM", f"{alarming} / {len(report.alarm_states)}", "current state", alarming > 0),
    )
    return f'<div class="tiles">{"".join(tiles)}</div>\n'


def meter(drift: Drift) -> str:
    """Distance as a bar with the threshold as a tick at mid-width (the bar fills past 2x threshold)."""
    width, height = 120, 12
    scale = max(2 * drift.threshold, drift.distance) or 1.0
    fill = min(drift.distance / scale, 1.0) * width
    limit = drift.threshold / scale * width
    kind = "drift" if drift.violated else "ok"
    return (f'<svg class="meter" width="{width}" height="{height}" viewBox="0 0 {width} {height}" aria-hidden="true">'
            f'<rect class="track" width="{width}" height="{height}" rx="3"/>'
            f'<rect class="fill-{kind}" width="{fill:.2f}" height="{height}" rx="3"/>'
            f'<line class="limit" x1="{limit:.2f}" y1="0" x2="{limit:.2f}" y2="{height}"/></svg>')


def _non_null(stats: FeatureStatistics | None) -> str:
    return f"{stats.completeness:.1%}" if stats is not None else "–"


def _feature_table(report: DriftReportInput, anchor: str = "") -> str:
    drifts = {d.feature: d for d in report.summary.drifts}
    rows = []
    for index, name in enumerate(_features(report)):
        drift = drifts.get(name)
        kind, text = _verdict(report, name, drift)
        base, now = report.baseline.feature(name), _current(report, name)
        known = base or now
        numbers = ("–", "–", "–", "")
        if drift is not None:
            numbers = (f"{drift.distance:.4f}", f"{drift.threshold:.4f}", method_text(drift), meter(drift))
        rows.append(
            f'<tr class="{"flagged" if kind in ("drift", "violation") else ""}">'
            f'<td><a href="#{anchor}feature-{index}">{escape(name)}</a></td>'
            f"<td>{escape(known.inferred_type if known else '–')}</td>"
            f'<td class="num">{_non_null(base)}</td><td class="num">{_non_null(now)}</td>'
            f'<td class="num"><b>{numbers[0]}</b></td><td class="num">{numbers[1]}</td>'
            f"<td>{escape(numbers[2])}</td><td>{numbers[3]}</td><td>{badge(kind, text)}</td></tr>"
        )
    head = (("Feature", ""), ("Type", ""), ("Non-null baseline", "num"), ("Non-null current", "num"),
            ("Distance", "num"), ("Threshold", "num"), ("Method", ""), ("Distance vs threshold", ""), ("Result", ""))
    return f'<section class="card"><h2>Features</h2>{table(head, rows)}</section>\n'


def _violations(report: DriftReportInput) -> str:
    if report.current is None:
        body = '<p class="empty">No checks ran: the execution failed before any data was profiled.</p>'
    elif not report.violations:
        body = '<p class="empty">No violations: every check passed.</p>'
    else:
        rows = (f"<tr><td>{escape(v.feature_name)}</td><td><code>{escape(v.constraint_check_type)}</code></td>"
                f"<td>{escape(v.description.rstrip())}</td></tr>" for v in report.violations)
        body = table((("Feature", ""), ("Check", ""), ("Description", "")), rows)
    return f'<section class="card"><h2>Violations ({len(report.violations)})</h2>{body}</section>\n'


def _summary_rows(base: FeatureStatistics | None, now: FeatureStatistics | None) -> list[tuple[str, str, str]]:
    """(label, baseline, current) summary numbers; which ones depends on the feature's kind."""
    def numeric(stats: FeatureStatistics | None, key: str) -> str:
        return f"{getattr(stats.numeric, key):,.4g}" if stats is not None and stats.numeric is not None else "–"

    def distinct(stats: FeatureStatistics | None) -> str:
        return f"{stats.string.distinct_count:,}" if stats is not None and stats.string is not None else "–"

    rows = [("non-null", _non_null(base), _non_null(now))]
    known = base or now
    if known is not None and known.string is not None:
        return rows + [("distinct", distinct(base), distinct(now))]
    return rows + [(label, numeric(base, key), numeric(now, key)) for label, key in NUMERIC_SUMMARY]


def _stats_table(base: FeatureStatistics | None, now: FeatureStatistics | None) -> str:
    body = (f'<tr><td>{label}</td><td class="num">{b}</td><td class="num">{c}</td></tr>'
            for label, b, c in _summary_rows(base, now))
    return f'<div class="stats">{table((("", ""), ("Baseline", "num"), ("Current", "num")), body)}</div>'


def _charts(name: str, base: FeatureStatistics | None, now: FeatureStatistics | None) -> str:
    if base is not None and base.numeric is not None:
        current = now.numeric if now is not None else None
        return numeric_svgs(name, base.numeric, current, integral=base.inferred_type == "Integral")
    if base is not None and base.string is not None and base.string.categories:
        return f'<div class="wide">{categories_svg(name, base.string, now.string if now is not None else None)}</div>'
    if base is not None and base.string is not None:
        return (f'<p class="wide empty">The baseline has over {CATEGORY_LIMIT} distinct values: '
                'it keeps no category counts.</p>')
    return '<p class="wide empty">No baseline distribution to compare with.</p>'


def _verdict_text(drift: Drift | None) -> str:
    if drift is None:
        return "no distance computed"
    relation = ">" if drift.violated else "≤"
    return (
        f"{escape(drift.kind.lower())} distance <b>{drift.distance:.4f}</b> ({escape(method_text(drift))}) "
        f"{relation} threshold {drift.threshold:.4f}"
    )


def _distributions(report: DriftReportInput, anchor: str = "") -> str:
    drifts = {d.feature: d for d in report.summary.drifts}
    cards = []
    for index, name in enumerate(_features(report)):
        kind, text = _verdict(report, name, drifts.get(name))
        base, now = report.baseline.feature(name), _current(report, name)
        cards.append(
            f'<div class="feature" id="{anchor}feature-{index}"><div class="feature-head"><h3>{escape(name)}</h3>'
            f'{badge(kind, text)}<span class="verdict">{_verdict_text(drifts.get(name))}</span></div>'
            f'<div class="plots">{_charts(name, base, now)}{_stats_table(base, now)}</div></div>'
        )
    current_rows = f"{report.current.item_count:,} rows" if report.current is not None else "no data"
    legend = (
        f'<div class="legend"><span><span class="swatch baseline"></span>baseline ({report.baseline.item_count:,} rows)'
        f'</span><span><span class="swatch current"></span>current ({current_rows})</span></div>'
    )
    return f'<section class="card"><h2>Distributions</h2>{legend}{"".join(cards)}</section>\n'


def _alarms(report: DriftReportInput) -> str:
    states = "".join(
        f'<div class="state"><span class="mono">{escape(name)}</span>{_statebadge(state)}</div>'
        for name, state in sorted(report.alarm_states.items())
    )
    states = (
        f'<div class="states">{states}</div>' if states else '<p class="empty">No alarm has been evaluated yet.</p>'
    )
    events = report.alarm_history[::-1][:MAX_ALARM_EVENTS]
    if events:
        rows = (
            f'<tr><td class="mono">{escape(e.time)}</td><td class="mono">{escape(e.alarm)}</td>'
            f"<td>{_statebadge(e.old)} → {_statebadge(e.new)}</td><td>{escape(e.reason)}</td></tr>"
            for e in events
        )
        history = table((("Time", ""), ("Alarm", ""), ("Change", ""), ("Reason", "")), rows)
    else:
        history = '<p class="empty">No alarm has changed state.</p>'
    shown = f" (newest {len(events)} of {len(report.alarm_history)})" if len(events) < len(report.alarm_history) else ""
    return f'<section class="card"><h2>Alarms</h2>{states}<h3>History{escape(shown)}</h3>{history}</section>\n'


def _no_alarms() -> str:
    return ('<section class="card"><h2>Alarms</h2><p class="empty">None: the alarms watch the champion, the variant '
            "that answers callers.</p></section>\n")


def _footer(report: DriftReportInput) -> str:
    return (
        "<footer><p>Numeric distance: the Kolmogorov-Smirnov statistic D between the KLL sketches (the charts mark "
        "this simple D); Robust subtracts 1.8·√((n+m)/(n·m)), so a robust distance is smaller than the gap drawn. "
        "Categorical LInfinity: the largest difference in category shares (Robust likewise); "
        "ChiSquared: 1 − p-value, against 1 − alpha. A feature drifts when its distance is greater than its "
        "threshold.</p>"
        f'<p>Execution files: <span class="mono">{escape(report.source or "–")}</span></p></footer>\n'
    )
