"""Monitoring jobs of one environment of a spec: what they check, where their data lives, their windows.

Defaults: capture is `build/<env>/capture` on the local target and the environment's S3 capture
prefix on the aws target; ground truth is monitoring.model_quality.ground_truth, else
`build/<env>/ground-truth` locally and the environment's S3 prefix on aws; reports go to
`build/<env>/monitoring/reports` (a laptop run never writes to a shared bucket unless told to with an
s3:// output). A requested window is explicit, from the first captured hour (`from_earliest`), or
the previous full UTC hour (shifted back by the label delay for model quality, as the schedule
would take it).

An endpoint with challengers is monitored once per variant (`variant_views`): each variant's view of
the spec reads its own capture folder (`{endpoint}/{variant}/`) against its own baseline and files its
reports under its own schedule name; ground truth is the endpoint's, shared, joined by inference id.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from fraudspec.core.errors import FraudspecError
from fraudspec.monitoring.engine.baseline import BaselinePaths, load_baseline
from fraudspec.monitoring.engine.execution import ExecutionResult
from fraudspec.monitoring.jobs.run import DataQualityJob, Destination, JobOutcome, run_job
from fraudspec.monitoring.quality.execution import QualityJob, QualityResult, QualityWindows
from fraudspec.monitoring.records.hours import HOUR, Window, ceil_hour
from fraudspec.monitoring.records.label_store import ground_truth_source
from fraudspec.monitoring.records.sinks import report_sink
from fraudspec.monitoring.records.sources import CaptureSource, capture_source, window_blocks
from fraudspec.spec.model import ModelQualitySpec, Spec

S3Factory = Callable[[], Any]


@dataclass(frozen=True)
class JobRequest:
    capture: str | None = None  # a directory or s3://bucket/prefix; None: the environment's default
    ground_truth: str | None = None  # likewise (model quality)
    output: str | None = None  # likewise, for reports
    start: datetime | None = None  # None: the previous full hour (with end None too)
    end: datetime | None = None  # None with a start: the end of the current hour
    from_earliest: bool = False  # start at the first hour that has capture


def model_quality(spec: Spec) -> ModelQualitySpec:
    quality = spec.monitoring.model_quality
    if quality is None:
        raise FraudspecError(f"model-quality monitoring is not configured for environment '{spec.environment.name}'",
                             hint="add monitoring.model_quality to the spec, e.g. {metrics: {recall: {min: 0.8}}}")
    return quality


def default_capture(spec: Spec) -> str:
    if spec.environment.target == "local":
        return str(spec.workspace.capture)
    return f"s3://{spec.environment.bucket}/{spec.names.capture_prefix}"


def default_ground_truth(spec: Spec) -> str:
    configured = model_quality(spec).ground_truth
    if configured is not None:
        return configured
    if spec.environment.target == "local":
        return str(spec.workspace.ground_truth)
    return f"s3://{spec.environment.bucket}/{spec.names.ground_truth_prefix}"


def data_job(spec: Spec) -> DataQualityJob:
    """The environment's baseline files, read and checked."""
    paths = BaselinePaths.of(spec)
    baseline, constraints = load_baseline(paths.statistics, paths.constraints, spec.environment.name)
    return DataQualityJob(baseline, constraints, spec.model.feature_names)


def quality_job(spec: Spec) -> QualityJob:
    return QualityJob.from_spec(model_quality(spec))


def lazy_s3(spec: Spec, factory: S3Factory | None = None) -> S3Factory:
    """The S3 client, made on first use: a run on local directories never imports boto3."""

    @functools.cache
    def client() -> Any:
        if factory is not None:
            return factory()
        import boto3

        return boto3.client("s3", region_name=spec.environment.region)

    return client


def variant_views(spec: Spec, variant: str | None = None) -> tuple[Spec, ...]:
    """The views a monitoring run covers: every variant's, champion first (`variant` None), or the one named."""
    if variant is None:
        return spec.variant_specs
    names = [v.name for v in spec.endpoint.variants]
    if variant not in names:
        raise FraudspecError(f"environment '{spec.environment.name}' has no variant '{variant}'",
                             hint=f"its variants are: {', '.join(names)}")
    return (spec.for_variant(variant),)


def captures(spec: Spec, request: JobRequest, client: S3Factory) -> CaptureSource:
    # spec.variant: the variant this view monitors (spec.endpoint.variant is always the champion's)
    return capture_source(request.capture or default_capture(spec), spec.names.endpoint, spec.variant.name, client)


def labels(spec: Spec, request: JobRequest, client: S3Factory) -> CaptureSource:
    return ground_truth_source(request.ground_truth or default_ground_truth(spec), client)


def destination(spec: Spec, schedule: str, request: JobRequest = JobRequest(),
                client: S3Factory | None = None) -> Destination:
    sink = report_sink(request.output or str(spec.workspace.reports), client or lazy_s3(spec))
    return Destination(sink, spec.names.endpoint, schedule)


def requested_window(request: JobRequest, source: CaptureSource, now: datetime) -> Window | None:
    """The window a request names, or None when it names none (the caller's default applies)."""
    end = request.end or ceil_hour(now)
    if request.from_earliest:
        hours = [hour for hour in source.hours() if hour < end]
        return Window(hours[0] if hours else end - HOUR, end)
    if request.start is not None:
        return Window(request.start, end)
    if request.end is not None:
        return Window(request.end - HOUR, request.end)
    return None


def run_for_spec(spec: Spec, request: JobRequest, *, now: datetime | None = None,
                 s3_client: S3Factory | None = None) -> JobOutcome[ExecutionResult]:
    """One data-quality execution over the requested window (default: the previous full hour)."""
    now = now or datetime.now(timezone.utc)
    job, client = data_job(spec), lazy_s3(spec, s3_client)
    source = captures(spec, request, client)
    window = requested_window(request, source, now) or Window.previous_hour(now)
    return run_job(job, window_blocks(source, window), window,
                   destination(spec, spec.names.monitoring_schedule, request, client))


def run_quality_for_spec(spec: Spec, request: JobRequest, *, now: datetime | None = None,
                         s3_client: S3Factory | None = None) -> JobOutcome[QualityResult]:
    """One model-quality execution: the requested predictions, with every label that has arrived by `now`."""
    now = now or datetime.now(timezone.utc)
    job, client = quality_job(spec), lazy_s3(spec, s3_client)
    source = captures(spec, request, client)
    capture = requested_window(request, source, now)
    if capture is None:
        windows = QualityWindows.scheduled(Window.previous_hour(now), job.label_delay)
    else:  # label folders of later hours have not arrived yet
        windows = QualityWindows(capture, Window(capture.start, max(capture.end, ceil_hour(now))))
    return run_job(job, window_blocks(source, windows.capture), windows,
                   destination(spec, spec.names.model_quality_schedule, request, client), labels(spec, request, client))
