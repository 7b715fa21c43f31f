"""A model-quality execution for one environment of a spec: where its capture, labels and reports live.

Defaults: capture as data quality reads it (build/<env>/capture locally, the environment's S3 capture
prefix on aws); ground truth from monitoring.model_quality.ground_truth, else build/<env>/ground-truth
locally and s3://<bucket>/<ground_truth_prefix> on aws; reports under build/<env>/monitoring/reports,
in the folder of the schedule `spec.names.model_quality_schedule`.

`run_scheduled_quality` is the local runtime's entry (the scheduler's window, shifted back by the
label delay); `run_quality_for_spec` the CLI's, whose window is explicit or the previous full hour;
`execute` is what both share with the Lambda, given sources and a sink. `latest_summary` reads the
newest local execution_summary.json back (for `fraudspec drift`, with report.rows_from_summary).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from fraudspec.core.errors import FraudspecError
from fraudspec.core import jsonfile
from fraudspec.monitoring.quality.execution import (
    SUMMARY_FILE, QualityJob, QualityResult, QualityWindows, run_quality, write_quality_reports,
)
from fraudspec.monitoring.records.label_store import ground_truth_source
from fraudspec.monitoring.jobs.data import capture_source, default_capture, default_reports, lazy_s3, report_sink
from fraudspec.monitoring.records.hours import HOUR, Window, ceil_hour
from fraudspec.monitoring.records.sources import CaptureSource
from fraudspec.monitoring.records.sinks import ReportSink
from fraudspec.spec.model import ModelQualitySpec, Spec


@dataclass(frozen=True)
class QualityRequest:
    capture: str | None = None  # a directory or s3://bucket/prefix; None: the environment's default
    ground_truth: str | None = None  # likewise
    output: str | None = None  # likewise, for reports
    start: datetime | None = None  # capture window start; None: the previous full hour, shifted by the delay
    end: datetime | None = None  # None with a start: the end of the current hour
    from_earliest: bool = False  # from the first hour that has capture


def model_quality(spec: Spec) -> ModelQualitySpec:
    quality = spec.monitoring.model_quality
    if quality is None:
        raise FraudspecError(f"model-quality monitoring is not configured for environment '{spec.environment.name}'",
                             hint="add monitoring.model_quality to the spec, e.g. {metrics: {recall: {min: 0.8}}}")
    return quality


def default_ground_truth(spec: Spec) -> str:
    configured = model_quality(spec).ground_truth
    if configured is not None:
        return configured
    if spec.environment.target == "local":
        return str(spec.workspace.ground_truth)
    return f"s3://{spec.environment.bucket}/{spec.names.ground_truth_prefix}"


def run_scheduled_quality(spec: Spec, run: Window, *, s3_client: Callable[[], Any] | None = None
                          ) -> tuple[QualityResult, tuple[str, ...]]:
    """The execution the schedule fires for `run` (previous fire time to this one)."""
    job = QualityJob.from_spec(model_quality(spec))
    windows = QualityWindows.scheduled(run, job.label_delay)
    return _execute_for_spec(spec, QualityRequest(), job, windows, lazy_s3(spec, s3_client))


def run_quality_for_spec(spec: Spec, request: QualityRequest, *, now: datetime | None = None,
                         s3_client: Callable[[], Any] | None = None) -> tuple[QualityResult, tuple[str, ...]]:
    """One on-demand execution: labels are every one that has arrived by `now`."""
    job = QualityJob.from_spec(model_quality(spec))
    client = lazy_s3(spec, s3_client)
    captures = capture_source(request.capture or default_capture(spec), spec, client)
    windows = request_windows(request, job, captures, now or datetime.now(timezone.utc))
    return _execute_for_spec(spec, request, job, windows, client, captures)


def request_windows(request: QualityRequest, job: QualityJob, captures: CaptureSource, now: datetime) -> QualityWindows:
    known = ceil_hour(now)  # label folders of later hours have not arrived yet
    if request.from_earliest:
        end = request.end or known
        hours = [hour for hour in captures.hours() if hour < end]
        capture = Window(hours[0] if hours else end - HOUR, end)
    elif request.start is not None:
        capture = Window(request.start, request.end or known)
    elif request.end is not None:
        capture = Window(request.end - HOUR, request.end)
    else:
        return QualityWindows.scheduled(Window.previous_hour(now), job.label_delay)
    return QualityWindows(capture, Window(capture.start, max(capture.end, known)))


def execute(job: QualityJob, windows: QualityWindows, captures: CaptureSource, labels: CaptureSource,
            sink: ReportSink, endpoint: str, schedule: str) -> tuple[QualityResult, tuple[str, ...]]:
    """Read the windows' files, run, write the reports; returns the result and where the reports went."""
    capture_blocks = (block for name in captures.objects(windows.capture) for block in captures.blocks(name))
    label_blocks = (block for name in labels.objects(windows.labels) for block in labels.blocks(name))
    result = run_quality(capture_blocks, label_blocks, job, windows)
    return result, write_quality_reports(result, sink, endpoint, schedule)


def latest_summary(spec: Spec, output: str | None = None) -> dict[str, Any] | None:
    """The newest execution_summary.json under a local report root (hour folders sort by time), or None."""
    root = Path(output or default_reports(spec)) / spec.names.endpoint / spec.names.model_quality_schedule
    found = sorted(root.glob(f"*/*/*/*/{SUMMARY_FILE}"))
    if not found:
        return None
    return jsonfile.load(found[-1], "model-quality execution summary", "run `fraudspec monitor quality` again")


def _execute_for_spec(spec: Spec, request: QualityRequest, job: QualityJob, windows: QualityWindows,
                      client: Callable[[], Any], captures: CaptureSource | None = None
                      ) -> tuple[QualityResult, tuple[str, ...]]:
    captures = captures or capture_source(request.capture or default_capture(spec), spec, client)
    labels = ground_truth_source(request.ground_truth or default_ground_truth(spec), client)
    sink = report_sink(request.output or default_reports(spec), client)
    return execute(job, windows, captures, labels, sink, spec.names.endpoint, spec.names.model_quality_schedule)
