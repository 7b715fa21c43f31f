"""Monitoring on the local target: one run over captured traffic, its metric history, its alarms.

Two kinds of run share this code:
- scheduled (the runtime's Scheduler): the schedule's window, by capture hour, like Model Monitor;
- on demand (`fraudspec monitor run --env local` without --start/--end): everything captured since
  the previous on-demand run. A cursor per capture file (build/local/monitoring/cursor.json)
  remembers how far the last one read, so "send traffic, then check it" analyses exactly that
  traffic.
Each run appends its metrics to metrics.jsonl (one line per run, the alarms' datapoints) and
evaluates the alarms with CloudWatch's semantics. A file lock serialises runs of the runtime
and of the CLI.
"""

from __future__ import annotations

import fcntl
import json
import os
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Iterator

from fraudspec.monitor.baseline import BaselinePaths, load_baseline
from fraudspec.monitor.execution import ExecutionResult, run_execution, write_reports
from fraudspec.monitor.metrics import metric_data
from fraudspec.monitor.storage import HOUR, CaptureBlock, LocalCaptureSource, LocalSink, Window, iso, write_atomic
from fraudspec.serve import notify
from fraudspec.serve.alarms import AlarmDefinition, Transition, evaluate, reason
from fraudspec.serve.paths import alarm_log, alarm_state_file, alarm_states, capture_dir, monitoring_dir, reports_dir
from fraudspec.serve.scheduler import Window as ScheduleWindow
from fraudspec.spec.model import Spec

READ_BYTES = 1 << 20


@dataclass(frozen=True)
class LocalRun:
    result: ExecutionResult
    written: tuple[str, ...]
    transitions: tuple[Transition, ...]


def drift_alarms(spec: Spec) -> tuple[AlarmDefinition, ...]:
    """One alarm per feature on its drift distance, as rendered for CloudWatch (fraudspec.render.alarms)."""
    drift = spec.alarms.drift
    if drift is None or not spec.monitoring.emit_metrics:
        return ()
    return tuple(
        AlarmDefinition(
            name=f"{spec.names.base}-drift-{feature}",
            metric=f"feature_baseline_drift_{feature}",
            threshold=drift.threshold if drift.threshold is not None else spec.monitoring.drift.threshold_for(feature),
            evaluation_periods=drift.evaluation_periods,
            datapoints_to_alarm=drift.datapoints_to_alarm,
            treat_missing_data="ignore",  # between runs the alarm keeps the last run's verdict
        )
        for feature in spec.model.feature_names
    )


def run_scheduled(spec: Spec, window: ScheduleWindow) -> LocalRun:
    source = LocalCaptureSource(capture_dir(spec), spec.names.endpoint, spec.endpoint.variant)
    span = Window(window.start, window.end)
    with _locked(spec):
        blocks = (block for name in source.objects(span) for block in source.blocks(name))
        return _finish(spec, blocks, span)


def run_since_last(spec: Spec, now: datetime | None = None) -> LocalRun:
    """Everything captured since the previous on-demand run (all capture, the first time)."""
    now = now or datetime.now(timezone.utc)
    source = LocalCaptureSource(capture_dir(spec), spec.names.endpoint, spec.endpoint.variant)
    with _locked(spec):
        cursor_file = monitoring_dir(spec) / "cursor.json"
        cursor = json.loads(cursor_file.read_text()) if cursor_file.is_file() else {"offsets": {}, "end": None}
        hours = source.hours()
        start = datetime.fromisoformat(cursor["end"]) if cursor["end"] else (hours[0] if hours else now - HOUR)
        window = Window(min(start, now - timedelta(microseconds=1)), now)
        files = source.objects(Window(hours[0], hours[-1] + HOUR)) if hours else []
        offsets = dict(cursor["offsets"])
        blocks = list(_new_blocks(files, offsets))
        run = _finish(spec, iter(blocks), window)
        write_atomic(cursor_file, json.dumps({"offsets": offsets, "end": now.isoformat()}, sort_keys=True).encode())
        return run


def _new_blocks(files: list[str], offsets: dict[str, int]) -> Iterator[CaptureBlock]:
    """Whole lines appended to each file since its recorded offset; offsets advance past them."""
    for name in files:
        with open(name, "rb") as handle:
            handle.seek(offsets.get(name, 0))
            data = handle.read()
        complete = data[: data.rfind(b"\n") + 1]  # a line still being written waits for the next run
        if complete:
            offsets[name] = offsets.get(name, 0) + len(complete)
            for start in range(0, len(complete), READ_BYTES):
                end = complete.rfind(b"\n", start, start + READ_BYTES) + 1 or len(complete)
                yield CaptureBlock(name, complete[start:end])


def _finish(spec: Spec, blocks: Iterator[CaptureBlock], window: Window) -> LocalRun:
    paths = BaselinePaths.of(spec)
    baseline, constraints = load_baseline(paths.statistics, paths.constraints, spec.environment.name)
    result = run_execution(blocks, baseline, constraints, window, spec.model.feature_names)
    written = write_reports(result, LocalSink(reports_dir(spec)), spec.names.endpoint, spec.names.monitoring_schedule)
    values = {datum.name: datum.value for datum in metric_data(result) if datum.value is not None}
    history = _append_history(spec, result, values)
    transitions = _evaluate_alarms(spec, history)
    events = notify.record(transitions, alarm_log(spec), iso(datetime.now(timezone.utc)), spec.names.endpoint)
    notify.notify(events, spec.alarms.notify)
    return LocalRun(result, written, transitions)


def _append_history(spec: Spec, result: ExecutionResult, values: dict[str, float]) -> list[dict]:
    path = monitoring_dir(spec) / "metrics.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    line = {"window_end": iso(result.window.end), "status": result.status, "metrics": values}
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(line, sort_keys=True) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return [json.loads(text) for text in path.read_text().splitlines() if text.strip()]


def _evaluate_alarms(spec: Spec, history: list[dict]) -> tuple[Transition, ...]:
    states = alarm_states(spec)
    transitions = []
    for alarm in drift_alarms(spec):
        points = [run["metrics"].get(alarm.metric) for run in history]
        old = states.get(alarm.name, "INSUFFICIENT_DATA")
        new = evaluate(alarm, points, old)
        states[alarm.name] = new
        if new != old:
            transitions.append(Transition(alarm.name, alarm.metric, old, new, reason(alarm, points, new)))
    write_atomic(alarm_state_file(spec), json.dumps(states, indent=2, sort_keys=True).encode())
    return tuple(transitions)


@contextmanager
def _locked(spec: Spec) -> Iterator[None]:
    monitoring_dir(spec).mkdir(parents=True, exist_ok=True)
    with open(monitoring_dir(spec) / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
