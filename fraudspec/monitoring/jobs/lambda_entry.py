"""Lambda entry point: one monitoring execution over the window that ends at the scheduled time.

EventBridge Scheduler invokes it with `{"scheduled_time": "<aws.scheduler.scheduled-time>"}`; the
window is [scheduled_time - window_seconds, scheduled_time). Model quality has a schedule of its
own whose input adds `"job": "model_quality"`: predictions of its window shifted back by the label
delay, joined to the ground truth that has arrived, checked and emitted like data quality. A
challenger's schedules add `"variant": {...}` (settings.VARIANT_FIELDS): its capture, baseline and
schedule names. Without a scheduled time (a manual test invoke) the window ends at the start of the
current UTC hour. The
execution is `fraudspec.monitoring.jobs.run.run_job`, as for the CLI and the local runtime; its
reports go to S3 in Model Monitor's layout and its metrics to CloudWatch. A window without capture
ends "Failed" (as Model Monitor reports it) and is returned, not raised: only errors worth the
monitor-errors alarm raise.

`run` and `run_quality` are also the Glue job's (fraudspec.monitoring.jobs.glue_entry): it passes a
`read` that reads the window's capture on Spark's executors instead of in this process.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from fraudspec.monitoring.engine import constraints as constraints_file
from fraudspec.monitoring.engine import statistics as statistics_file
from fraudspec.monitoring.engine.metrics import put_metric_data_requests
from fraudspec.monitoring.jobs.run import DataQualityJob, Destination, JobOutcome, Partitions, run_job
from fraudspec.monitoring.jobs.settings import MODEL_QUALITY, VARIANT, Settings
from fraudspec.monitoring.quality.execution import QualityJob, QualityWindows
from fraudspec.monitoring.records.blocks import CaptureBlock
from fraudspec.monitoring.records.hours import Window, floor_hour, iso
from fraudspec.monitoring.records.label_store import ground_truth_source
from fraudspec.monitoring.records.sinks import S3Sink
from fraudspec.monitoring.records.sources import S3CaptureSource, split_s3_uri, window_blocks

log = logging.getLogger("fraudspec.monitor_lambda")
log.setLevel(logging.INFO)

# How a data-quality run reads its window's capture: blocks read here, or Partitions read elsewhere (Spark).
CaptureReader = Callable[[DataQualityJob, S3CaptureSource, Window], "Iterable[CaptureBlock] | Partitions"]


def read_here(job: DataQualityJob, captures: S3CaptureSource, window: Window) -> Iterable[CaptureBlock]:
    """The Lambda's reading: every object of the window, in this process."""
    return window_blocks(captures, window)


@dataclass(frozen=True)
class Outcome:
    status: str
    window: Window
    reports: tuple[str, ...]
    metric_requests: int

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "window": {"start": iso(self.window.start), "end": iso(self.window.end)},
                "reports": list(self.reports), "metric_requests": self.metric_requests}


SCHEDULED_TIME = "scheduled_time"  # the end of the run's window, as the schedule's input names it


def handler(event: Mapping[str, Any], context: Any) -> dict[str, Any]:
    import boto3  # provided by the Lambda runtime

    settings = Settings.from_environment().for_variant(event.get(VARIANT) or {})
    quality = event.get("job") == MODEL_QUALITY
    seconds = settings.quality_window_seconds if quality else settings.window_seconds
    window = window_for(event, seconds, datetime.now(timezone.utc))
    execute = run_quality if quality else run
    outcome = execute(settings, window, boto3.client("s3"), boto3.client("cloudwatch"))
    log.info("monitoring execution %s", json.dumps(outcome.as_dict()))
    return outcome.as_dict()


def window_for(event: Mapping[str, Any], window_seconds: int, now: datetime) -> Window:
    scheduled = event.get(SCHEDULED_TIME)
    end = _parse_time(scheduled) if scheduled else floor_hour(now)
    return Window(end - timedelta(seconds=window_seconds), end)


def run(settings: Settings, window: Window, s3: Any, cloudwatch: Any, read: CaptureReader = read_here) -> Outcome:
    job = DataQualityJob(statistics_file.from_json(_read_json(s3, settings.statistics_uri)),
                         constraints_file.from_json(_read_json(s3, settings.constraints_uri)), settings.features)
    captures = read(job, _captures(settings, s3), window)
    outcome = run_job(job, captures, window, _destination(settings, s3, settings.schedule_name))
    namespace = settings.metric_namespace if settings.emit_metrics else None
    return _emit(outcome, window, cloudwatch, namespace, settings, settings.schedule_name)


def run_quality(settings: Settings, window: Window, s3: Any, cloudwatch: Any) -> Outcome:
    if not settings.has_model_quality:
        raise ValueError("a model_quality job was scheduled, but this function has no model-quality settings")
    job = QualityJob.from_json(json.loads(settings.quality_job))
    windows = QualityWindows.scheduled(window, job.label_delay)
    captures = _captures(settings, s3)
    outcome = run_job(job, window_blocks(captures, windows.capture), windows,
                      _destination(settings, s3, settings.quality_schedule_name),
                      ground_truth_source(settings.ground_truth_uri, lambda: s3))
    return _emit(outcome, window, cloudwatch, settings.model_metric_namespace, settings, settings.quality_schedule_name)


def _captures(settings: Settings, s3: Any) -> S3CaptureSource:
    bucket, prefix = split_s3_uri(settings.capture_uri)
    return S3CaptureSource(s3, bucket, prefix, settings.endpoint_name, settings.variant_name)


def _destination(settings: Settings, s3: Any, schedule: str) -> Destination:
    bucket, prefix = split_s3_uri(settings.reports_uri)
    return Destination(S3Sink(s3, bucket, prefix), settings.endpoint_name, schedule)


def _emit(outcome: JobOutcome, window: Window, cloudwatch: Any, namespace: str | None, settings: Settings,
          schedule: str) -> Outcome:
    """The execution's metrics to CloudWatch (none when `namespace` is None: emit_metrics is off)."""
    requests = [] if namespace is None else put_metric_data_requests(
        outcome.metrics, namespace, settings.endpoint_name, schedule, window.end)
    for request in requests:
        cloudwatch.put_metric_data(**request)
    return Outcome(outcome.status, window, outcome.reports, len(requests))


def _read_json(s3: Any, uri: str) -> Any:
    bucket, key = split_s3_uri(uri)
    return json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())


def _parse_time(text: str) -> datetime:
    """Scheduler's ISO 8601 time, e.g. 2026-01-01T10:00:00Z."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)
