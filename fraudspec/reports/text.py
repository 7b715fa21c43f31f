"""What `fraudspec monitor run` and `fraudspec baseline` print: a line per feature, then the violations."""

from __future__ import annotations

from collections.abc import Sequence

from fraudspec.monitoring.engine.baseline import BaselinePaths
from fraudspec.monitoring.engine.constraints import Constraints
from fraudspec.monitoring.engine.execution import ExecutionResult
from fraudspec.monitoring.engine.statistics import DatasetStatistics
from fraudspec.reports.html_input import DriftReportInput


def render(result: ExecutionResult, written: Sequence[str] = (), capture: str = "") -> str:
    counts = result.counts
    lines = [
        f"Monitoring execution: {result.status}",
        f"Window:  {result.window.label()}",
        *([f"Capture: {capture}"] if capture else []),
        f"Records: {counts.lines:,} line(s), {counts.records:,} read ({counts.rows:,} row(s)), "
        f"{counts.malformed:,} malformed",
    ]
    if result.failure_reason:
        lines.append(f"Reason:  {result.failure_reason}")
    if result.statistics is not None:
        lines += ["", *_feature_table(result.statistics, result)]
    if result.violations:
        width = max(len(v.feature_name) for v in result.violations)
        check_width = max(len(v.constraint_check_type) for v in result.violations)
        lines += ["", f"Violations ({len(result.violations)}):"]
        lines += [f"  {v.feature_name:<{width}}  {v.constraint_check_type:<{check_width}}  {v.description.rstrip()}"
                  for v in result.violations]
    elif result.statistics is not None:
        lines += ["", "No violations."]
    return "\n".join(lines + footer(result.malformed_examples, written))


def footer(malformed_examples: Sequence[str], written: Sequence[str]) -> list[str]:
    """The malformed lines a run skipped and the reports it wrote, as both monitoring kinds print them."""
    lines = []
    if malformed_examples:
        lines += ["", f"Malformed lines (first {len(malformed_examples)}):", *(f"  {e}" for e in malformed_examples)]
    if written:
        lines += ["", "Reports:", *(f"  {path}" for path in written)]
    return lines


def _feature_table(statistics: DatasetStatistics, result: ExecutionResult) -> list[str]:
    drifts = {d.feature: d for d in result.drifts}
    flagged = {v.feature_name for v in result.violations}
    header = ("feature", "type", "non-null", "distance", "threshold", "method", "result")
    rows = []
    for stats in statistics.features:
        drift = drifts.get(stats.name)
        rows.append((
            stats.name,
            stats.inferred_type,
            f"{stats.completeness:.1%}",
            f"{drift.distance:.4f}" if drift else "-",
            f"{drift.threshold:.4f}" if drift else "-",
            drift.method if drift else "-",
            "DRIFT" if drift and drift.violated else ("violation" if stats.name in flagged else "ok"),
        ))
    return columns(header, rows)


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


def render_report(report: DriftReportInput) -> str:
    """`fraudspec drift`: the newest execution, its distances and violations, and the alarms."""
    summary = report.summary
    counts = summary.counts
    lines = [f"{report.endpoint} ({report.environment}): latest monitoring execution {summary.status}",
             f"Window:  [{summary.window_start}, {summary.window_end})",
             f"Records: {counts.records:,} read ({counts.rows:,} row(s)), {counts.malformed:,} malformed"]
    if summary.failure_reason:
        lines.append(f"Reason:  {summary.failure_reason}")
    if summary.drifts:
        rows = [(d.feature, f"{d.distance:.4f}", f"{d.threshold:.4f}", d.method, "DRIFT" if d.violated else "ok")
                for d in summary.drifts]
        lines += ["", *columns(("feature", "distance", "threshold", "method", "result"), rows)]
    if report.violations:
        lines += ["", f"Violations ({len(report.violations)}):"]
        lines += [f"  {v.feature_name}  {v.constraint_check_type}  {v.description.rstrip()}" for v in report.violations]
    if report.alarm_states:
        lines += [
            "",
            "Alarms:",
            *("  " + line for line in columns(("alarm", "state"), sorted(report.alarm_states.items()))),
        ]
    if report.alarm_history:
        lines += ["", "Recent alarm changes:"]
        lines += [f"  {e.time}  {e.alarm}: {e.old} -> {e.new}" for e in report.alarm_history[-10:]]
    lines += ["", f"Files: {report.source}"]
    return "\n".join(lines)


def columns(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in (header, *rows)]
