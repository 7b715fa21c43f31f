"""Lambda entry point: one monitoring execution over the window that ends at the scheduled time.

EventBridge Scheduler invokes it with `{"scheduled_time": "<aws.scheduler.scheduled-time>"}`; the
window is [scheduled_time - window_seconds, scheduled_time). Model quality has a schedule of its
own whose input adds `"job": "model_quality"`: predictions of its window shifted back by the label
delay, joined to the ground truth that has arrived, checked and emitted like data quality. Without a scheduled time (a manual
test invoke) the window ends at the start of the current UTC hour. The execution is the same
`fraudspec.monitoring.engine` code the local runtime runs; its reports go to S3 in Model Monitor's layout and
its metrics to CloudWatch. A window without capture ends "Failed" (as Model Monitor reports it) and
is returned, not raised: only errors worth the monitor-errors alarm raise.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from fraudspec.monitoring.jobs.settings import MODEL_QUALITY, Settings
from fraudspec.monitoring.engine import constraints as constraints_file
from fraudspec.monitoring.engine import statistics as statistics_file
from fraudspec.monitoring.engine.execution import run_execution, write_reports
from fraudspec.monitoring.engine.metrics import metric_data, put_metric_data_requests
from fraudspec.monitoring.quality.metrics import metric_data as quality_metric_data
from fraudspec.monitoring.quality.execution import QualityJob, QualityWindows
from fraudspec.monitoring.jobs.quality import execute
from fraudspec.monitoring.records.label_store import ground_truth_source
from fraudspec.monitoring.records.sources import S3CaptureSource, split_s3_uri
from fraudspec.monitoring.records.sinks import S3Sink
from fraudspec.monitoring.records.hours import Window, floor_hour, iso

log = logging.getLogger("fraudspec.monitor_lambda")
log.setLevel(logging.INFO)


@dataclass(frozen=True)
class Outcome:
    status: str
    window: Window
    reports: tuple[str, ...]
    metric_requests: int

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "window": {"start": iso(self.window.start), "end": iso(self.window.end)},
                "reports": list(self.reports), "metric_requests": self.metric_requests}


def handler(event: Mapping[str, Any], context: Any) -> dict[str, Any]:
    import boto3  # provided by the Lambda runtime

    settings = Settings.from_environment()
    quality = event.get("job") == MODEL_QUALITY
    seconds = settings.quality_window_seconds if quality else settings.window_seconds
    window = window_for(event, seconds, datetime.now(timezone.utc))
    execute = run_quality if quality else run
    outcome = execute(settings, window, boto3.client("s3"), boto3.client("cloudwatch"))
    log.info("monitoring execution %s", json.dumps(outcome.as_dict()))
    return outcome.as_dict()


def window_for(event: Mapping[str, Any], window_seconds: int, now: datetime) -> Window:
    scheduled = event.get("scheduled_time")
    end = _parse_time(scheduled) if scheduled else floor_hour(now)
    return Window(end - timedelta(seconds=window_seconds), end)


def run(settings: Settings, window: Window, s3: Any, cloudwatch: Any) -> Outcome:
    baseline = statistics_file.from_json(_read_json(s3, settings.statistics_uri))
    constraints = constraints_file.from_json(_read_json(s3, settings.constraints_uri))
    bucket, prefix = split_s3_uri(settings.capture_uri)
    source = S3CaptureSource(s3, bucket, prefix, settings.endpoint_name, settings.variant_name)
    blocks = (block for name in source.objects(window) for block in source.blocks(name))
    result = run_execution(blocks, baseline, constraints, window, settings.features)
    bucket, prefix = split_s3_uri(settings.reports_uri)
    reports = write_reports(result, S3Sink(s3, bucket, prefix), settings.endpoint_name, settings.schedule_name)
    requests = []
    if settings.emit_metrics:
        requests = put_metric_data_requests(metric_data(result), settings.metric_namespace, settings.endpoint_name,
                                            settings.schedule_name, window.end)
        for request in requests:
            cloudwatch.put_metric_data(**request)
    return Outcome(result.status, window, reports, len(requests))


def run_quality(settings: Settings, window: Window, s3: Any, cloudwatch: Any) -> Outcome:
    if not settings.has_model_quality:
        raise ValueError("a model_quality job was scheduled, but this function has no model-quality settings")
    job = QualityJob.from_json(json.loads(settings.quality_job))
    windows = QualityWindows.scheduled(window, job.label_delay)
    bucket, prefix = split_s3_uri(settings.capture_uri)
    captures = S3CaptureSource(s3, bucket, prefix, settings.endpoint_name, settings.variant_name)
    labels = ground_truth_source(settings.ground_truth_uri, lambda: s3)
    bucket, prefix = split_s3_uri(settings.reports_uri)
    result, reports = execute(job, windows, captures, labels, S3Sink(s3, bucket, prefix), settings.endpoint_name,
                              settings.quality_schedule_name)
    requests = put_metric_data_requests(quality_metric_data(result), settings.model_metric_namespace,
                                        settings.endpoint_name, settings.quality_schedule_name, window.end)
    for request in requests:
        cloudwatch.put_metric_data(**request)
    return Outcome(result.status, window, reports, len(requests))


def _read_json(s3: Any, uri: str) -> Any:
    bucket, key = split_s3_uri(uri)
    return json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())


def _parse_time(text: str) -> datetime:
    """Scheduler's ISO 8601 time, e.g. 2026-01-01T10:00:00Z."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)
