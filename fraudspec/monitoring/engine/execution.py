"""One monitoring execution: capture records of a window, checked against a baseline and constraints.

`run_execution` is pure (blocks of capture lines in, an ExecutionResult out), so the local runtime,
the CLI and the AWS Lambda share it; `read_partition` and `run_merged` are the same execution split
over partitions of the capture objects (fraudspec.monitoring.engine.partial), for Spark;
`write_reports` and `metrics.metric_data` turn the result into files and CloudWatch data. The
current data is profiled with each feature's baseline type, so the two statistics files line up
feature by feature; type mismatches are the data_type_check's to report.

Status: Completed, CompletedWithViolations, or Failed with a reason. A window without a single
readable row is Failed with Model Monitor's reason "Job inputs had no data", and gets no statistics,
violations or metrics.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from fraudspec.core import jsonfile
from fraudspec.monitoring.engine import checks
from fraudspec.monitoring.engine import statistics as statistics_file
from fraudspec.monitoring.engine.capture import CaptureCounts, read_capture
from fraudspec.monitoring.engine.checks import Drift, Violation
from fraudspec.monitoring.engine.constraints import Constraints
from fraudspec.monitoring.engine.partial import (
    PartitionState,
    finished_statistics,
    finished_table,
    merge_states,
    partition_state,
)
from fraudspec.monitoring.engine.statistics import DatasetStatistics, InferredType, infer_type
from fraudspec.monitoring.engine.table import Table
from fraudspec.monitoring.records.blocks import CaptureBlock
from fraudspec.monitoring.records.hours import Window, iso, report_folder
from fraudspec.monitoring.records.sinks import ReportSink, write_execution

Status = Literal["Completed", "CompletedWithViolations", "Failed"]
NO_DATA = "Job inputs had no data"
STATISTICS_FILE = "statistics.json"
VIOLATIONS_FILE = "constraint_violations.json"
SUMMARY_FILE = "execution_summary.json"


@dataclass(frozen=True)
class ExecutionResult:
    status: Status
    window: Window
    counts: CaptureCounts
    statistics: DatasetStatistics | None  # None when Failed
    violations: tuple[Violation, ...] = ()
    drifts: tuple[Drift, ...] = ()
    failure_reason: str | None = None
    malformed_examples: tuple[str, ...] = ()
    metric_features: tuple[str, ...] = ()  # features whose emit_metrics is enabled


def run_execution(
    blocks: Iterable[CaptureBlock],
    baseline: DatasetStatistics,
    constraints: Constraints,
    window: Window,
    feature_names: Sequence[str],
) -> ExecutionResult:
    """Analyse the capture `blocks` (the window's files, whole lines, in order)."""
    types = _baseline_types(baseline, constraints, feature_names)
    capture = read_capture(blocks, feature_names, _text_features(types))
    table = capture.table
    return _evaluate(table, capture.counts, capture.malformed_examples, types,
                     lambda kinds: statistics_file.profile(table, kinds), baseline, constraints, window, feature_names)


def read_partition(blocks: Iterable[CaptureBlock], baseline: DatasetStatistics, constraints: Constraints,
                   feature_names: Sequence[str]) -> PartitionState:
    """One partition of the window's capture objects (whole lines, in order), read into its partial state."""
    types = _baseline_types(baseline, constraints, feature_names)
    return partition_state(read_capture(blocks, feature_names, _text_features(types)))


def run_merged(states: Sequence[PartitionState], baseline: DatasetStatistics, constraints: Constraints,
               window: Window, feature_names: Sequence[str]) -> ExecutionResult:
    """The execution over partitions read by `read_partition`, given in the order of their objects."""
    state = merge_states(states)
    types = _baseline_types(baseline, constraints, feature_names)
    return _evaluate(finished_table(state, feature_names), state.counts, state.malformed_examples, types,
                     lambda kinds: finished_statistics(state, kinds), baseline, constraints, window, feature_names)


def _evaluate(table: Table, counts: CaptureCounts, examples: tuple[str, ...], types: dict[str, InferredType],
              statistics_of: Callable[[Mapping[str, InferredType]], DatasetStatistics], baseline: DatasetStatistics,
              constraints: Constraints, window: Window, feature_names: Sequence[str]) -> ExecutionResult:
    if table.rows == 0:
        reason = f"{NO_DATA}: no capture records in {window.label()}"
        if counts.malformed:
            reason = f"{NO_DATA}: all {counts.malformed} capture line(s) in {window.label()} are malformed"
        return ExecutionResult("Failed", window, counts, None, failure_reason=reason, malformed_examples=examples)
    types.update({name: infer_type(column) for name, column in table.columns.items() if name not in types})
    current = statistics_of(types)
    result = checks.evaluate(baseline, constraints, table, current)
    status: Status = "CompletedWithViolations" if result.violations else "Completed"
    emitting = tuple(name for name in feature_names if constraints.config_for(name).emit_metrics)
    return ExecutionResult(status, window, counts, current, result.violations, result.drifts,
                           malformed_examples=examples, metric_features=emitting)


def _text_features(types: Mapping[str, InferredType]) -> list[str]:
    return [name for name, kind in types.items() if kind == "String"]


def _baseline_types(
    baseline: DatasetStatistics, constraints: Constraints, features: Sequence[str]
) -> dict[str, InferredType]:
    """Each feature's type as the constraints (else the baseline statistics) record it."""
    types: dict[str, InferredType] = {}
    for name in features:
        feature, stats = constraints.feature(name), baseline.feature(name)
        if feature is not None:
            types[name] = feature.inferred_type
        elif stats is not None:
            types[name] = stats.inferred_type
    return types


def summary_json(result: ExecutionResult) -> dict[str, Any]:
    return {
        "status": result.status,
        "failure_reason": result.failure_reason,
        "window": {"start": iso(result.window.start), "end": iso(result.window.end)},
        "records": {"lines": result.counts.lines, "records": result.counts.records,
                    "rows": result.counts.rows, "malformed": result.counts.malformed},
        "malformed_examples": list(result.malformed_examples),
        "violations": len(result.violations),
        "drift": [{"feature": d.feature, "kind": d.kind, "method": d.method, "distance": d.distance,
                   "threshold": d.threshold, "violated": d.violated} for d in result.drifts],
    }


def violations_json(result: ExecutionResult) -> dict[str, Any]:
    return {"violations": [{"feature_name": v.feature_name, "constraint_check_type": v.constraint_check_type,
                            "description": v.description} for v in result.violations]}


def write_reports(result: ExecutionResult, sink: ReportSink, endpoint: str, schedule: str) -> tuple[str, ...]:
    """Model Monitor's output layout: statistics.json and constraint_violations.json (not for a Failed
    execution), plus fraudspec's execution_summary.json, in the run's own folder and, with data, in the
    hour's (fraudspec.monitoring.records.sinks.write_execution); returns where to read them."""
    files = []
    if result.statistics is not None:
        files.append((STATISTICS_FILE, jsonfile.dumps(statistics_file.to_json(result.statistics))))
        files.append((VIOLATIONS_FILE, jsonfile.dumps(violations_json(result))))
    files.append((SUMMARY_FILE, jsonfile.dumps(summary_json(result))))
    return write_execution(sink, report_folder(endpoint, schedule, result.window), files,
                           has_data=result.statistics is not None)
