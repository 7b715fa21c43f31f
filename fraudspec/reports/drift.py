"""What `fraudspec drift` shows: the newest monitoring execution and the alarms, for either target.

Local: the runtime's report folders, alarm log and alarm states under build/<env>/. AWS: the
newest execution's files are copied from the environment's S3 reports prefix into the same
local layout, and alarm states and history come from CloudWatch.

With challengers each variant's view reads its own newest executions (its schedule names, its own
workspace); a challenger has no alarms (the champion's are the endpoint's), so its report shows none.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from fraudspec.core import jsonfile
from fraudspec.core.errors import FraudspecError
from fraudspec.core.files import write_atomic
from fraudspec.monitoring.engine.baseline import BaselinePaths
from fraudspec.monitoring.engine.execution import STATISTICS_FILE, SUMMARY_FILE, VIOLATIONS_FILE
from fraudspec.monitoring.jobs.for_spec import variant_views
from fraudspec.monitoring.quality.execution import SUMMARY_FILE as QUALITY_SUMMARY
from fraudspec.reports.html_input import DriftReportInput, load_report_input, newest_execution
from fraudspec.spec.model import Spec, Variant


@dataclass(frozen=True)
class VariantDrift:
    """One variant's newest data-quality execution and model-quality summary (None without one)."""

    variant: Variant
    report: DriftReportInput
    quality: dict | None


def variant_drifts(spec: Spec, variant: str | None = None) -> tuple[VariantDrift, ...]:
    """Every variant's newest executions, champion first (`variant` None), or the named variant's."""
    return tuple(VariantDrift(view.variant, drift_report(view), quality_summary(view))
                 for view in variant_views(spec, variant))


def drift_report(spec: Spec) -> DriftReportInput:
    if spec.challenger is not None:
        if spec.environment.target == "aws":
            import boto3

            client = boto3.client("s3", region_name=spec.environment.region)
            _fetch_newest_execution(spec, client, spec.names.monitoring_schedule)
        try:
            report = _load(spec, spec.workspace.alarm_log, spec.workspace.alarm_states)
        except FraudspecError as error:  # e.g. a challenger added since the last run: the champion is still there
            finding = error.findings[0]
            raise FraudspecError(str(error), location=finding.location, hint=f"{finding.hint}, or see the champion "
                                 f"alone with `fraudspec drift --env {spec.environment.name} --variant "
                                 f"{spec.endpoint.variant}`") from None
        return replace(report, alarm_history=(), alarm_states={})  # the endpoint's alarms watch the champion
    if spec.environment.target == "aws":
        return _aws_report(spec)
    return _load(spec, spec.workspace.alarm_log, spec.workspace.alarm_states)


def quality_summary(spec: Spec) -> dict | None:
    """The newest model-quality execution_summary.json (copied from S3 on aws), None without one."""
    if spec.monitoring.model_quality is None:
        return None
    if spec.environment.target == "aws":
        import boto3

        client = boto3.client("s3", region_name=spec.environment.region)
        _fetch_newest_execution(spec, client, spec.names.model_quality_schedule)
    return latest_quality_summary(spec)


def latest_quality_summary(spec: Spec) -> dict | None:
    """The newest local model-quality execution_summary.json (html_input.newest_execution), or None."""
    folder = newest_execution(spec.workspace.reports / spec.names.endpoint / spec.names.model_quality_schedule,
                              QUALITY_SUMMARY)
    if folder is None:
        return None
    return jsonfile.load(folder / QUALITY_SUMMARY, "model-quality execution summary",
                         "run `fraudspec monitor quality` again")


def _load(spec: Spec, log: Path, states: Path) -> DriftReportInput:
    return load_report_input(spec.workspace.reports, spec.names.endpoint, spec.names.monitoring_schedule,
                             BaselinePaths.of(spec).statistics, log, states, environment=spec.environment.name)


def _aws_report(spec: Spec) -> DriftReportInput:
    import boto3

    session = boto3.session.Session(region_name=spec.environment.region)
    _fetch_newest_execution(spec, session.client("s3"), spec.names.monitoring_schedule)
    cache = spec.workspace.monitoring / "aws"
    history, states = _cloudwatch_alarms(spec, session.client("cloudwatch"))
    write_atomic(cache / "alarms.jsonl", "".join(jsonfile.line(event) for event in history).encode())
    write_atomic(cache / "alarm-state.json", jsonfile.dumps(states, sort_keys=True))
    return _load(spec, cache / "alarms.jsonl", cache / "alarm-state.json")


def _fetch_newest_execution(spec: Spec, s3: Any, schedule: str) -> None:
    """Copies the report folder of `schedule`'s newest execution from S3 into the workspace's
    monitoring/reports, chosen as html_input.newest_execution chooses locally: the latest hour folder
    (a run with data), else the newest run's own folder."""
    names = spec.names
    relative = f"{names.endpoint}/{schedule}/"
    prefix = f"{names.reports_prefix}/{relative}"
    keys = [item["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket=spec.environment.bucket,
                                                                                  Prefix=prefix)
            for item in page.get("Contents", [])]
    depth = {key[len(prefix):].rsplit("/", 1)[0]: key.count("/") - prefix.count("/") for key in keys}
    hours = sorted(folder for folder, levels in depth.items() if levels == 4)
    runs = sorted((folder for folder, levels in depth.items() if levels == 5), key=lambda f: f.rsplit("/", 1)[1])
    if not hours and not runs:
        return  # load_report_input then says no execution was found, and how to run one
    newest = hours[-1] if hours else runs[-1]
    for name in (SUMMARY_FILE, STATISTICS_FILE, VIOLATIONS_FILE):
        key = f"{prefix}{newest}/{name}"
        if key in keys:
            body = s3.get_object(Bucket=spec.environment.bucket, Key=key)["Body"].read()
            write_atomic(spec.workspace.reports / relative / newest / name, body)


def _cloudwatch_alarms(spec: Spec, cloudwatch: Any) -> tuple[list[dict], dict[str, str]]:
    alarms = [alarm for page in cloudwatch.get_paginator("describe_alarms").paginate(AlarmNamePrefix=spec.names.base)
              for alarm in page.get("MetricAlarms", [])]
    states = {alarm["AlarmName"]: alarm["StateValue"] for alarm in alarms}
    events = [event for alarm in alarms for event in history_events(spec, alarm, _state_updates(cloudwatch, alarm))]
    return sorted(events, key=lambda event: event["time"]), states


def _state_updates(cloudwatch: Any, alarm: dict) -> list[dict]:
    response = cloudwatch.describe_alarm_history(AlarmName=alarm["AlarmName"], HistoryItemType="StateUpdate",
                                                 MaxRecords=10, ScanBy="TimestampDescending")
    return response.get("AlarmHistoryItems", [])


def history_events(spec: Spec, alarm: dict, items: list[dict]) -> list[dict]:
    """CloudWatch's StateUpdate history items as alarm-log events (the local runtime's alarms.jsonl shape)."""
    events = []
    for item in items:
        data = json.loads(item.get("HistoryData") or "{}")
        events.append({"time": item["Timestamp"].isoformat(), "endpoint": spec.names.endpoint,
                       "alarm": alarm["AlarmName"], "metric": alarm.get("MetricName", ""),
                       "old": data.get("oldState", {}).get("stateValue", ""),
                       "new": data.get("newState", {}).get("stateValue", ""),
                       "reason": item.get("HistorySummary", "")})
    return events
