"""Monitoring rules: schedules per engine, thresholds naming declared features, time zones."""

from __future__ import annotations

import difflib
import zoneinfo
from collections.abc import Iterable

from fraudspec.spec import schedule
from fraudspec.spec.rules import Context, Issue, Rule


def _schedule_fits_engine(ctx: Context) -> Iterable[Issue]:
    monitoring = ctx.data["monitoring"]
    problem = schedule.problem(monitoring["schedule"], monitoring["engine"])
    if problem:
        yield Issue(("monitoring", "schedule"), problem.message, problem.hint)


def _thresholds_name_features(ctx: Context) -> Iterable[Issue]:
    declared = ctx.feature_names()
    for section in ("drift", "completeness"):
        for name in ctx.data["monitoring"][section]["features"]:
            if name not in declared:
                close = difflib.get_close_matches(name, declared, n=1)
                hint = f"did you mean '{close[0]}'?" if close else f"declared features: {', '.join(declared)}"
                yield Issue(("monitoring", section, "features", name),
                            f"'{name}' is not a declared feature", hint)


def _known_timezone(ctx: Context) -> Iterable[Issue]:
    name = ctx.data["monitoring"]["timezone"]
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        yield Issue(("monitoring", "timezone"), f"unknown time zone '{name}'",
                    "use an IANA name such as UTC, Asia/Singapore or Europe/London")


def _model_monitor_runs_in_utc(ctx: Context) -> Iterable[Issue]:
    monitoring = ctx.data["monitoring"]
    timezone = monitoring["timezone"]
    if monitoring["engine"] == "sagemaker" and timezone != "UTC":
        yield Issue(("monitoring", "timezone"), f"Model Monitor schedules run in UTC, not {timezone}",
                    "remove timezone (write the schedule's hour in UTC), or use `engine: fraudspec`")


def _capture_feeds_monitoring(ctx: Context) -> Iterable[Issue]:
    capture = ctx.data["capture"]
    if ctx.data["monitoring"]["enabled"] and (not capture["enabled"] or not capture["input"]
                                              or capture["sampling_percent"] == 0):
        yield Issue(("capture",),
                    "monitoring is enabled but no request inputs are captured, so it has nothing to analyse",
                    "enable capture of inputs with sampling_percent > 0, or set monitoring.enabled: false")


RULES = (
    Rule("FS201", "the schedule is valid for the monitoring engine", _schedule_fits_engine),
    Rule("FS202", "per-feature thresholds name declared features", _thresholds_name_features),
    Rule("FS203", "thresholds are fractions in [0, 1]"),
    Rule("FS204", "the schedule's time zone exists", _known_timezone),
    Rule("FS205", "monitoring has captured inputs to analyse", _capture_feeds_monitoring),
    Rule("FS206", "Model Monitor schedules are in UTC", _model_monitor_runs_in_utc),
    Rule("FS207", "Model Monitor's job instance is a SageMaker instance type"),
)
