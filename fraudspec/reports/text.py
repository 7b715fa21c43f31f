"""What `fraudspec monitor run`, `drift` and `baseline` print: a line per feature, then the violations.

`monitor run` and `drift` build one JSON-ready document each (`execution_document`, `drift_document`);
`--format json` prints it and the text is rendered from it, so the two never disagree.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

from fraudspec.monitoring.engine.baseline import BaselinePaths
from fraudspec.monitoring.engine.constraints import Constraints
from fraudspec.monitoring.engine.execution import ExecutionResult
from fraudspec.monitoring.engine.statistics import DatasetStatistics
from fraudspec.monitoring.records.hours import Window, iso
from fraudspec.reports.html_input import DriftReportInput


def execution_document(result: ExecutionResult, written: Sequence[str] = (), capture: str = "",
                       on_demand: bool = False) -> dict[str, Any]:
    """`monitor run`'s result as JSON-ready data: what its JSON prints and its text is rendered from.

    `on_demand`: the window is everything captured since the previous on-demand run (local target)."""
    counts = result.counts
    return {
        "status": result.status,
        "window": window_json(result.window, on_demand),
        "capture": capture or None,
        "records": {"lines": counts.lines, "records": counts.records, "rows": counts.rows,
                    "malformed": counts.malformed},
        "failure_reason": result.failure_reason,
        "features": _features(result),
        "violations": [{"feature": v.feature_name, "check": v.constraint_check_type,
                        "description": v.description.rstrip()} for v in result.violations],
        "malformed_examples": list(result.malformed_examples),
        "reports": list(written),
    }


def window_json(window: Window, on_demand: bool = False) -> dict[str, Any]:
    """Exact times (an on-demand window can be shorter than a second) and how the window was chosen."""
    return {"start": _exact(window.start), "end": _exact(window.end), "on_demand": on_demand}


def window_text(window: Mapping[str, Any]) -> str:
    """A window for people: whole hours as [start, end); an on-demand one by where it starts."""
    start, end = (datetime.fromisoformat(window[key].replace("Z", "+00:00")) for key in ("start", "end"))
    if not window.get("on_demand"):
        return f"[{iso(start)}, {iso(end)})"
    if iso(start) == iso(end):  # an on-demand run right after the previous one
        return f"on demand at {iso(end)}: what was captured since the previous on-demand run"
    return f"on demand: everything captured from {iso(start)} to {iso(end)}"


def render(doc: Mapping[str, Any]) -> str:
    """`monitor run`'s text, from `execution_document` (plus the envelope's alarm_changes, if any)."""
    records = doc["records"]
    lines = [
        f"Monitoring execution: {doc['status']}",
        f"Window:  {window_text(doc['window'])}",
        *([f"Capture: {doc['capture']}"] if doc["capture"] else []),
        f"Records: {records['lines']:,} line(s), {records['records']:,} read ({records['rows']:,} row(s)), "
        f"{records['malformed']:,} malformed",
    ]
    if doc["failure_reason"]:
        lines.append(f"Reason:  {doc['failure_reason']}")
    if doc["features"]:
        header = ("feature", "type", "non-null", "distance", "threshold", "method", "result")
        rows = [(f["name"], f["type"], "-" if f["completeness"] is None else f"{f['completeness']:.1%}",
                 _number(f["distance"]), _number(f["threshold"]), f["method"] or "-",
                 f["result"].upper() if f["result"] == "drift" else f["result"]) for f in doc["features"]]
        lines += ["", *columns(header, rows)]
    violations = doc["violations"]
    if violations:
        width = max(len(v["feature"]) for v in violations)
        check_width = max(len(v["check"]) for v in violations)
        lines += ["", f"Violations ({len(violations)}):"]
        lines += [f"  {v['feature']:<{width}}  {v['check']:<{check_width}}  {v['description']}" for v in violations]
    elif doc["features"]:
        lines += ["", "No violations."]
    return "\n".join(lines + footer(doc["malformed_examples"], doc["reports"]) + alarm_lines(doc))


def alarm_lines(doc: Mapping[str, Any]) -> list[str]:
    """The alarm state changes a local run caused (the envelope's `alarm_changes`)."""
    return [f"alarm {c['alarm']}: {c['old']} -> {c['new']}\n    {c['reason']}" for c in doc.get("alarm_changes", ())]


def _features(result: ExecutionResult) -> list[dict[str, Any]]:
    if result.statistics is None:
        return []
    drifts = {d.feature: d for d in result.drifts}
    flagged = {v.feature_name for v in result.violations}
    features = []
    for stats in result.statistics.features:
        drift = drifts.get(stats.name)
        outcome = "drift" if drift and drift.violated else ("violation" if stats.name in flagged else "ok")
        features.append({"name": stats.name, "type": stats.inferred_type, "completeness": _finite(stats.completeness),
                         "distance": _finite(drift.distance) if drift else None,
                         "threshold": drift.threshold if drift else None,
                         "method": drift.method if drift else None, "result": outcome})
    return features


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.4f}"


def _exact(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def footer(malformed_examples: Sequence[str], written: Sequence[str]) -> list[str]:
    """The malformed lines a run skipped and the reports it wrote, as both monitoring kinds print them."""
    lines = []
    if malformed_examples:
        lines += ["", f"Malformed lines (first {len(malformed_examples)}):", *(f"  {e}" for e in malformed_examples)]
    if written:
        lines += ["", "Reports:", *(f"  {path}" for path in written)]
    return lines


def render_baseline(statistics: DatasetStatistics, constraints: Constraints, paths: BaselinePaths) -> str:
    header = ("feature", "type", "non-null", "summary", "drift threshold")
    rows = []
    for stats in statistics.features:
        config = constraints.config_for(stats.name)
        if stats.numeric is not None:
            n = stats.numeric
            summary = f"mean {n.mean:.4g}, std {n.std_dev:.4g}, min {n.min:.4g}, max {n.max:.4g}"
            threshold = f"{config.comparison_threshold:g} ({config.comparison_method})"
        elif stats.string is not None:
            summary = f"{stats.string.distinct_count} distinct value(s)"
            threshold = f"{config.categorical_comparison_threshold:g} ({config.categorical_drift_method})"
        else:
            summary, threshold = "no values", "-"
        rows.append((stats.name, stats.inferred_type, f"{stats.completeness:.1%}", summary, threshold))
    table = columns(header, rows)
    return "\n".join([f"Baseline of {statistics.item_count:,} row(s) from {paths.data}", "", *table, "",
                      f"Wrote {paths.statistics}", f"Wrote {paths.constraints}"])


def drift_document(report: DriftReportInput, model_quality: Mapping[str, Any] | None) -> dict[str, Any]:
    """`fraudspec drift`'s data: the newest execution, the latest model-quality summary, the alarms."""
    summary = report.summary
    counts = summary.counts
    window = {"start": summary.window_start, "end": summary.window_end,
              "on_demand": not (_on_the_hour(summary.window_start) and _on_the_hour(summary.window_end))}
    return {
        "endpoint": report.endpoint,
        "data_quality": {
            "status": summary.status, "window": window,
            "records": {"records": counts.records, "rows": counts.rows, "malformed": counts.malformed},
            "failure_reason": summary.failure_reason,
            "drift": [{"feature": d.feature, "kind": d.kind, "method": d.method, "distance": _finite(d.distance),
                       "threshold": d.threshold, "violated": d.violated} for d in summary.drifts],
            "violations": [{"feature": v.feature_name, "check": v.constraint_check_type,
                            "description": v.description.rstrip()} for v in report.violations],
            "files": report.source,
        },
        "model_quality": model_quality,
        "alarms": {"states": dict(sorted(report.alarm_states.items())),
                   "recent_changes": [{"time": e.time, "alarm": e.alarm, "old": e.old, "new": e.new,
                                       "reason": e.reason} for e in report.alarm_history[-10:]]},
    }


def render_drift(doc: Mapping[str, Any]) -> str:
    """`fraudspec drift`'s text, from `drift_document` (the model-quality part: reports.quality)."""
    data = doc["data_quality"]
    records = data["records"]
    lines = [f"{doc['endpoint']} ({doc['environment']}): latest monitoring execution {data['status']}",
             f"Window:  {window_text(data['window'])}",
             f"Records: {records['records']:,} read ({records['rows']:,} row(s)), {records['malformed']:,} malformed"]
    if data["failure_reason"]:
        lines.append(f"Reason:  {data['failure_reason']}")
    if data["drift"]:
        rows = [(d["feature"], _number(d["distance"]), f"{d['threshold']:.4f}", d["method"],
                 "DRIFT" if d["violated"] else "ok") for d in data["drift"]]
        lines += ["", *columns(("feature", "distance", "threshold", "method", "result"), rows)]
    if data["violations"]:
        lines += ["", f"Violations ({len(data['violations'])}):"]
        lines += [f"  {v['feature']}  {v['check']}  {v['description']}" for v in data["violations"]]
    alarms = doc["alarms"]
    if alarms["states"]:
        lines += ["", "Alarms:", *("  " + line for line in columns(("alarm", "state"), list(alarms["states"].items())))]
    if alarms["recent_changes"]:
        lines += ["", "Recent alarm changes:"]
        lines += [f"  {e['time']}  {e['alarm']}: {e['old']} -> {e['new']}" for e in alarms["recent_changes"]]
    return "\n".join([*lines, "", f"Files: {data['files']}"])


def _on_the_hour(moment: str) -> bool:
    return datetime.fromisoformat(moment.replace("Z", "+00:00")).timestamp() % 3600 == 0


def _finite(value: float) -> float | None:
    """JSON has no NaN: an undefined value is null."""
    return None if math.isnan(value) else value


def columns(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in (header, *rows)]
