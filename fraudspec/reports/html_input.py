"""What the HTML drift report shows, and reading it from a monitoring execution's files.

The report covers the newest execution in Model Monitor's layout,
`{reports}/{endpoint}/{schedule}/yyyy/mm/dd/hh/`: its execution_summary.json (status, window,
counts, every feature's distance), statistics.json and constraint_violations.json, compared with
the baseline statistics.json; plus the local alarm log (`alarms.jsonl`, one state change a line)
and the alarms' current states (`alarm-state.json`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from fraudspec.core import jsonfile
from fraudspec.core.errors import FraudspecError, Location
from fraudspec.core.jsonfile import DocumentError
from fraudspec.monitoring.alarms.files import AlarmEvent, read_alarm_log, read_alarm_states
from fraudspec.monitoring.engine import statistics as statistics_file
from fraudspec.monitoring.engine.capture import CaptureCounts
from fraudspec.monitoring.engine.checks import Drift, Violation
from fraudspec.monitoring.engine.execution import STATISTICS_FILE, SUMMARY_FILE, VIOLATIONS_FILE
from fraudspec.monitoring.engine.statistics import DatasetStatistics

T = TypeVar("T")


@dataclass(frozen=True)
class ExecutionSummary:
    """execution_summary.json of one execution, as `execution.summary_json` writes it."""

    status: str  # Completed, CompletedWithViolations or Failed
    window_start: str  # ISO 8601 UTC
    window_end: str
    counts: CaptureCounts
    drifts: tuple[Drift, ...]
    failure_reason: str | None = None


@dataclass(frozen=True)
class DriftReportInput:
    title: str
    endpoint: str
    environment: str
    schedule: str
    baseline: DatasetStatistics
    current: DatasetStatistics | None  # None for a Failed execution (no data)
    summary: ExecutionSummary
    violations: tuple[Violation, ...]
    alarm_history: tuple[AlarmEvent, ...]  # oldest first, as logged
    alarm_states: Mapping[str, str]  # alarm name -> OK, ALARM or INSUFFICIENT_DATA
    source: str = ""  # the execution folder, shown in the footer


def summary_from_json(document: Any) -> ExecutionSummary:
    window = jsonfile.get(document, "window", dict, "summary")
    records = jsonfile.get(document, "records", dict, "summary")
    counts = CaptureCounts(**{key: int(jsonfile.get(records, key, int, "summary.records"))
                              for key in ("lines", "records", "rows", "malformed")})
    drifts = tuple(_drift_from_json(item, i) for i, item in enumerate(jsonfile.get(document, "drift", list, "summary")))
    return ExecutionSummary(
        status=jsonfile.get(document, "status", str, "summary"),
        window_start=jsonfile.get(window, "start", str, "summary.window"),
        window_end=jsonfile.get(window, "end", str, "summary.window"),
        counts=counts,
        drifts=drifts,
        failure_reason=jsonfile.get(document, "failure_reason", (str, type(None)), "summary", None),
    )


def _drift_from_json(item: Any, index: int) -> Drift:
    where = f"summary.drift[{index}]"
    text = {key: jsonfile.get(item, key, str, where) for key in ("feature", "kind", "method")}
    numbers = {key: float(jsonfile.get(item, key, (int, float), where)) for key in ("distance", "threshold")}
    return Drift(text["feature"], text["kind"], text["method"], numbers["distance"], numbers["threshold"])


def violations_from_json(document: Any) -> tuple[Violation, ...]:
    where = "constraint_violations.violations"
    return tuple(
        Violation(*(jsonfile.get(item, key, str, f"{where}[{i}]")
                    for key in ("feature_name", "constraint_check_type", "description")))
        for i, item in enumerate(jsonfile.get(document, "violations", list, "constraint_violations"))
    )


def load_report_input(
    reports_root: Path,
    endpoint: str,
    schedule: str,
    baseline_statistics_path: Path,
    alarm_log_path: Path,
    alarm_state_path: Path,
    *,
    environment: str,
    title: str | None = None,
) -> DriftReportInput:
    """The newest execution's files, the baseline and the alarms; FraudspecError names what is missing.

    No alarm log or state file is not an error: alarms that never changed state leave no log."""
    run_hint = f"run `fraudspec monitor run --env {environment}` first"
    folder = newest_execution(reports_root / endpoint / schedule)
    if folder is None:
        raise FraudspecError(f"no monitoring execution of {endpoint}/{schedule} found",
                             location=Location(str(reports_root / endpoint / schedule)), hint=run_hint)
    baseline = _read(baseline_statistics_path, "baseline statistics",
                     f"run `fraudspec baseline --env {environment}` to write it", statistics_file.from_json)
    summary = _read(folder / SUMMARY_FILE, "execution summary", run_hint, summary_from_json)
    current: DatasetStatistics | None = None
    violations: tuple[Violation, ...] = ()
    # A Failed run leaves an earlier run's files of the same hour in place: they are not its results.
    if summary.status != "Failed":
        current = _read(folder / STATISTICS_FILE, "execution statistics", run_hint, statistics_file.from_json)
        violations = _read(folder / VIOLATIONS_FILE, "constraint violations", run_hint, violations_from_json)
    return DriftReportInput(
        title=title or f"Drift report · {endpoint}",
        endpoint=endpoint,
        environment=environment,
        schedule=schedule,
        baseline=baseline,
        current=current,
        summary=summary,
        violations=violations,
        alarm_history=read_alarm_log(alarm_log_path),
        alarm_states=read_alarm_states(alarm_state_path),
        source=str(folder),
    )


def newest_execution(base: Path, summary: str = SUMMARY_FILE) -> Path | None:
    """The folder of the newest execution with data: the latest yyyy/mm/dd/hh folder under `base` that
    holds a report (a run without data writes only its own folder, so it never hides one with data);
    when no run had data, the newest run's own folder; None when there is no execution at all."""
    hours = []
    for folder in base.glob("*/*/*/*"):
        try:
            hour = datetime.strptime("/".join(folder.relative_to(base).parts), "%Y/%m/%d/%H")
        except ValueError:
            continue
        if folder.is_dir():
            hours.append((hour, folder))
    with_data = [folder for hour, folder in sorted(hours) if (folder / summary).is_file()]
    if with_data:
        return with_data[-1]
    runs = [run for _, folder in hours for run in folder.iterdir() if (run / summary).is_file()]
    return max(runs, key=lambda run: run.name) if runs else None


def _read(path: Path, what: str, hint: str, reader: Callable[[Any], T]) -> T:
    document = jsonfile.load(path, what, hint)
    try:
        return reader(document)
    except DocumentError as error:
        raise FraudspecError(f"{what}: {error}", location=Location(str(path)), hint=hint) from None
