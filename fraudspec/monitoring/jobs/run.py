"""The one function that runs a monitoring job, whoever runs it.

`fraudspec monitor run|quality` (fraudspec.monitoring.jobs.for_spec), the local runtime's scheduler
and on-demand runs (fraudspec.runtime.monitoring) and the monitoring Lambda
(fraudspec.monitoring.jobs.lambda_entry) and the Glue job (fraudspec.monitoring.jobs.glue_entry, whose
Spark executors read the capture into Partitions) each say which capture to read, where the labels and the
reports live, and what to check; `run_job` reads, checks, writes the reports in Model Monitor's
layout and returns the metrics to emit. What happens to those metrics is the caller's: CloudWatch on
AWS, the local alarm history on this machine.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar, overload

from fraudspec.monitoring.engine.constraints import Constraints
from fraudspec.monitoring.engine.execution import ExecutionResult, run_execution, run_merged, write_reports
from fraudspec.monitoring.engine.metrics import MetricDatum
from fraudspec.monitoring.engine.metrics import metric_data as data_metrics
from fraudspec.monitoring.engine.partial import PartitionState
from fraudspec.monitoring.engine.statistics import DatasetStatistics
from fraudspec.monitoring.quality.execution import (
    QualityJob,
    QualityResult,
    QualityWindows,
    run_quality,
    write_quality_reports,
)
from fraudspec.monitoring.quality.metrics import metric_data as quality_metrics
from fraudspec.monitoring.records.blocks import CaptureBlock
from fraudspec.monitoring.records.hours import Window
from fraudspec.monitoring.records.sinks import ReportSink
from fraudspec.monitoring.records.sources import CaptureSource, window_blocks


@dataclass(frozen=True, eq=False)
class DataQualityJob:
    """What a data-quality execution checks: the captured features against the baseline."""

    baseline: DatasetStatistics
    constraints: Constraints
    features: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Partitions:
    """A window's capture already read where it lies, one partial state per partition of its objects, in
    object order (fraudspec.monitoring.jobs.spark): what a data-quality job reads instead of blocks."""

    states: Sequence[PartitionState]


@dataclass(frozen=True)
class Destination:
    """Where an execution's reports go: {sink}/{endpoint}/{schedule}/yyyy/mm/dd/hh/."""

    sink: ReportSink
    endpoint: str
    schedule: str  # also the MonitoringSchedule dimension of the execution's metrics


Result = TypeVar("Result", ExecutionResult, QualityResult)


@dataclass(frozen=True, eq=False)
class JobOutcome(Generic[Result]):
    result: Result
    reports: tuple[str, ...]  # where each report went
    metrics: tuple[MetricDatum, ...]  # what the execution publishes; empty when it has nothing to say

    @property
    def status(self) -> str:
        return self.result.status


@overload
def run_job(job: DataQualityJob, captures: Iterable[CaptureBlock] | Partitions, window: Window,
            destination: Destination, labels: None = None) -> JobOutcome[ExecutionResult]: ...


@overload
def run_job(job: QualityJob, captures: Iterable[CaptureBlock], window: QualityWindows,
            destination: Destination, labels: CaptureSource) -> JobOutcome[QualityResult]: ...


def run_job(job: DataQualityJob | QualityJob, captures: Iterable[CaptureBlock] | Partitions,
            window: Window | QualityWindows, destination: Destination, labels: CaptureSource | None = None
            ) -> JobOutcome[ExecutionResult] | JobOutcome[QualityResult]:
    """One execution of either kind; model quality needs `labels` and QualityWindows and reads blocks;
    data quality reads blocks or Partitions already read."""
    if isinstance(job, QualityJob):
        if labels is None or not isinstance(window, QualityWindows) or isinstance(captures, Partitions):
            raise TypeError("a model-quality job needs its labels, QualityWindows and capture blocks")
        return _quality(job, captures, window, labels, destination)
    if not isinstance(window, Window):
        raise TypeError("a data-quality job reads one Window")
    return _data(job, captures, window, destination)


def _data(job: DataQualityJob, captures: Iterable[CaptureBlock] | Partitions, window: Window,
          destination: Destination) -> JobOutcome[ExecutionResult]:
    if isinstance(captures, Partitions):
        result = run_merged(captures.states, job.baseline, job.constraints, window, job.features)
    else:
        result = run_execution(captures, job.baseline, job.constraints, window, job.features)
    reports = write_reports(result, destination.sink, destination.endpoint, destination.schedule)
    return JobOutcome(result, reports, data_metrics(result))


def _quality(job: QualityJob, captures: Iterable[CaptureBlock], windows: QualityWindows,
             labels: CaptureSource, destination: Destination) -> JobOutcome[QualityResult]:
    """Predictions of `captures` (windows.capture) joined to the labels that arrived in windows.labels."""
    result = run_quality(captures, window_blocks(labels, windows.labels), job, windows)
    reports = write_quality_reports(result, destination.sink, destination.endpoint, destination.schedule)
    return JobOutcome(result, reports, quality_metrics(result))
