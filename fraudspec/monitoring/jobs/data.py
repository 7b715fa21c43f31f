"""A monitoring execution for one environment of a spec: where its capture, baseline and reports live.

Defaults: capture is `build/<env>/capture` on the local target and the environment's S3 capture
prefix on the aws target; reports go to `build/<env>/monitoring/reports` (a laptop run never writes
to a shared bucket unless told to with an s3:// output); the window is the previous full UTC hour.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from fraudspec.monitoring.engine.baseline import BaselinePaths, load_baseline
from fraudspec.monitoring.engine.execution import ExecutionResult, run_execution, write_reports
from fraudspec.monitoring.records.hours import HOUR, Window, ceil_hour
from fraudspec.monitoring.records.sources import CaptureSource, LocalCaptureSource, S3CaptureSource, split_s3_uri
from fraudspec.monitoring.records.sinks import LocalSink, ReportSink, S3Sink
from fraudspec.spec.model import Spec


@dataclass(frozen=True)
class MonitorRequest:
    capture: str | None = None  # a directory or s3://bucket/prefix; None: the environment's default
    output: str | None = None  # likewise, for reports
    start: datetime | None = None  # None: the previous full hour (with end None too)
    end: datetime | None = None  # None with a start: the end of the current hour
    from_earliest: bool = False  # start at the first hour that has capture


def default_capture(spec: Spec) -> str:
    if spec.environment.target == "local":
        return str(spec.workspace.capture)
    return f"s3://{spec.environment.bucket}/{spec.names.capture_prefix}"


def default_reports(spec: Spec) -> str:
    return str(spec.workspace.reports)


def run_for_spec(
    spec: Spec, request: MonitorRequest, *, now: datetime | None = None, s3_client: Callable[[], Any] | None = None
) -> tuple[ExecutionResult, tuple[str, ...]]:
    """Run one execution and write its reports; returns the result and where the reports went."""
    paths = BaselinePaths.of(spec)
    baseline, constraints = load_baseline(paths.statistics, paths.constraints, spec.environment.name)
    client = lazy_s3(spec, s3_client)
    source = capture_source(request.capture or default_capture(spec), spec, client)
    window = _window(request, source, now or datetime.now(timezone.utc))
    blocks = (block for name in source.objects(window) for block in source.blocks(name))
    result = run_execution(blocks, baseline, constraints, window, spec.model.feature_names)
    sink = report_sink(request.output or default_reports(spec), client)
    written = write_reports(result, sink, spec.names.endpoint, spec.names.monitoring_schedule)
    return result, written


def _window(request: MonitorRequest, source: CaptureSource, now: datetime) -> Window:
    if request.from_earliest:
        end = request.end or ceil_hour(now)
        hours = [hour for hour in source.hours() if hour < end]
        return Window(hours[0] if hours else end - HOUR, end)
    if request.start is not None:
        return Window(request.start, request.end or ceil_hour(now))
    if request.end is not None:
        return Window(request.end - HOUR, request.end)
    return Window.previous_hour(now)


def lazy_s3(spec: Spec, factory: Callable[[], Any] | None) -> Callable[[], Any]:
    """The S3 client, made on first use: a run on local directories never imports boto3."""

    @functools.cache
    def client() -> Any:
        if factory is not None:
            return factory()
        import boto3

        return boto3.client("s3", region_name=spec.environment.region)

    return client


def capture_source(location: str, spec: Spec, client: Callable[[], Any]) -> CaptureSource:
    endpoint, variant = spec.names.endpoint, spec.endpoint.variant
    if location.startswith("s3://"):
        bucket, prefix = split_s3_uri(location)
        return S3CaptureSource(client(), bucket, prefix, endpoint, variant)
    return LocalCaptureSource(Path(location), endpoint, variant)


def report_sink(location: str, client: Callable[[], Any]) -> ReportSink:
    if location.startswith("s3://"):
        bucket, prefix = split_s3_uri(location)
        return S3Sink(client(), bucket, prefix)
    return LocalSink(Path(location))
