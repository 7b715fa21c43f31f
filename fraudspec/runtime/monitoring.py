"""Monitoring on the local target: data quality and model quality, their metric history, their alarms.

Each kind runs two ways:
- scheduled (the runtime's Scheduler): the schedule's window, by capture hour, like Model Monitor;
- on demand (`fraudspec monitor run|quality --env local` without --start/--end): everything
  captured since the previous on-demand run of that kind. A cursor per capture file remembers how
  far the last run read, so "send traffic, then check it" analyses exactly that traffic.
Each run appends its metrics to a history file (one line per run: the alarms' datapoints) and
evaluates the alarms with CloudWatch's semantics. The endpoint's own metrics (runtime.endpoint_metrics)
feed the endpoint alarms the same way, one line per alarm period. A file lock serialises the
runtime's and the CLI's runs.

An endpoint with challengers runs each kind once per variant (champion first), each in its own view
of the spec: its capture folder, baseline, schedule name, cursor and metrics history. Only the
champion's runs evaluate alarms: it is the variant that answers callers, so a challenger's drift is
shown beside the champion's but pages nobody.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Generic

from fraudspec.core import jsonfile
from fraudspec.core.errors import FraudspecError, Location
from fraudspec.core.files import write_atomic
from fraudspec.monitoring.alarms import notify
from fraudspec.monitoring.alarms.definitions import Alarm, Source, alarms
from fraudspec.monitoring.alarms.evaluate import State, Transition, evaluate, reason
from fraudspec.monitoring.alarms.files import read_alarm_states, read_json_lines
from fraudspec.monitoring.engine.execution import ExecutionResult
from fraudspec.monitoring.jobs.for_spec import (
    JobRequest,
    data_job,
    destination,
    labels,
    lazy_s3,
    quality_job,
    variant_views,
)
from fraudspec.monitoring.jobs.run import JobOutcome, Result, run_job
from fraudspec.monitoring.quality.execution import QualityResult, QualityWindows
from fraudspec.monitoring.records.blocks import CaptureBlock
from fraudspec.monitoring.records.hours import HOUR, Window, ceil_hour, iso
from fraudspec.monitoring.records.sources import LocalCaptureSource, appended_blocks, window_blocks
from fraudspec.runtime.endpoint_metrics import KIND as ENDPOINT
from fraudspec.runtime.endpoint_metrics import datapoint
from fraudspec.spec import webhooks
from fraudspec.spec.model import Spec, Variant

DATA, QUALITY = "data", "quality"  # the two kinds: their history and cursor files are named after them
# The alarms each kind's metrics feed: the spec's alarm list, as rendered for CloudWatch.
EVALUATED: dict[str, Source] = {DATA: "drift", QUALITY: "model_quality", ENDPOINT: "endpoint"}


@dataclass(frozen=True)
class LocalRun(Generic[Result]):
    outcome: JobOutcome[Result]
    transitions: tuple[Transition, ...]
    variant: Variant
    # A run over every variant is the champion's run holding its challengers' runs, so a caller that
    # knows one variant (the daemon's log, scripts) reads the champion's result as before.
    challengers: tuple[LocalRun[Result], ...] = ()

    @property
    def result(self) -> Result:
        return self.outcome.result

    @property
    def written(self) -> tuple[str, ...]:
        return self.outcome.reports

    @property
    def runs(self) -> tuple[LocalRun[Result], ...]:
        """Every variant's run, champion first."""
        return (self,) + self.challengers


def run_scheduled(spec: Spec, window: Window, variant: str | None = None) -> LocalRun[ExecutionResult]:
    """Data quality of `window` for every variant (`variant` None) or the one named."""
    with _locked(spec):
        return _each(spec, variant, lambda view: _data(view, window_blocks(_captures(view), window), window))


def run_since_last(spec: Spec, now: datetime | None = None, variant: str | None = None) -> LocalRun[ExecutionResult]:
    """Data quality of everything captured since the previous on-demand run (all capture, the first time)."""
    webhooks.resolve(spec, local=True)  # a bad webhook URL is the user's to fix, before any run
    at = now or datetime.now(timezone.utc)  # one moment for every variant: their windows end together

    def one(view: Spec) -> LocalRun[ExecutionResult]:
        with _since_last(view, DATA, at) as (window, blocks, commit):
            return _data(view, blocks, window, commit)

    with _locked(spec):
        return _each(spec, variant, one)


def run_quality_scheduled(spec: Spec, window: Window, variant: str | None = None) -> LocalRun[QualityResult]:
    windows = QualityWindows.scheduled(window, quality_job(spec).label_delay)
    with _locked(spec):
        return _each(spec, variant,
                     lambda view: _quality(view, window_blocks(_captures(view), windows.capture), windows))


def run_quality_since_last(spec: Spec, now: datetime | None = None,
                           variant: str | None = None) -> LocalRun[QualityResult]:
    """Model quality of the predictions captured since the previous on-demand run, with every label so far."""
    webhooks.resolve(spec, local=True)
    at = now or datetime.now(timezone.utc)

    def one(view: Spec) -> LocalRun[QualityResult]:
        with _since_last(view, QUALITY, at) as (window, blocks, commit):
            # the labels are the endpoint's: every variant's predictions join the same ground truth
            arrived = labels(view, JobRequest(), lazy_s3(view)).hours()
            label_window = Window(min(arrived[0], window.start) if arrived else window.start, ceil_hour(window.end))
            return _quality(view, blocks, QualityWindows(window, label_window), commit)

    with _locked(spec):
        return _each(spec, variant, one)


def _each(spec: Spec, variant: str | None, run: Callable[[Spec], LocalRun[Result]]) -> LocalRun[Result]:
    """`run` for each view `variant` selects, champion first, as one LocalRun holding the others."""
    runs = tuple(run(view) for view in variant_views(spec, variant))
    return replace(runs[0], challengers=runs[1:])


def _captures(spec: Spec) -> LocalCaptureSource:
    # spec.variant: this view's variant (spec.endpoint.variant is always the champion's)
    return LocalCaptureSource(spec.workspace.capture, spec.names.endpoint, spec.variant.name)


def _data(spec: Spec, blocks: Iterator[CaptureBlock], window: Window,
          commit: Callable[[], None] = lambda: None) -> LocalRun[ExecutionResult]:
    outcome = run_job(data_job(spec), blocks, window, destination(spec, spec.names.monitoring_schedule))
    commit()
    return LocalRun(outcome, _record(spec, DATA, iso(window.end), outcome), spec.variant)


def _quality(spec: Spec, blocks: Iterator[CaptureBlock], windows: QualityWindows,
             commit: Callable[[], None] = lambda: None) -> LocalRun[QualityResult]:
    client = lazy_s3(spec)
    outcome = run_job(quality_job(spec), blocks, windows, destination(spec, spec.names.model_quality_schedule),
                      labels(spec, JobRequest(), client))
    commit()
    return LocalRun(outcome, _record(spec, QUALITY, iso(windows.capture.end), outcome), spec.variant)


@contextmanager
def _since_last(spec: Spec, kind: str, now: datetime | None
                ) -> Iterator[tuple[Window, Iterator[CaptureBlock], Callable[[], None]]]:
    """The window since the previous run of `kind`, the whole capture lines appended since (up to the
    file sizes at the start of the run) and `commit`, which moves the cursor past them. The run commits
    once its job succeeded and before it records metrics and alarm states: a crash after the commit
    loses that run's datapoint, one before it records nothing, so no data is ever counted twice."""
    now = now or datetime.now(timezone.utc)
    source = _captures(spec)
    cursor_file = spec.workspace.cursor(kind)
    offsets, end = _read_cursor(cursor_file)
    hours = source.hours()
    start = end or (hours[0] if hours else now - HOUR)
    files = source.objects(Window(hours[0], hours[-1] + HOUR)) if hours else []
    sizes = {name: os.path.getsize(name) for name in files}
    cursor = {"offsets": offsets, "end": now.isoformat()}
    yield (Window(min(start, now - timedelta(microseconds=1)), now), _advancing(sizes, offsets),
           lambda: write_atomic(cursor_file, jsonfile.dumps(cursor, sort_keys=True)))


def _advancing(sizes: dict[str, int], offsets: dict[str, int]) -> Iterator[CaptureBlock]:
    """Each file's lines past its offset, moving the offset past every block handed out."""
    for name, size in sizes.items():
        for block in appended_blocks(name, offsets.get(name, 0), size):
            offsets[name] = offsets.get(name, 0) + len(block.data)
            yield block


def _read_cursor(path: Path) -> tuple[dict[str, int], datetime | None]:
    """How far the previous on-demand run read each capture file, and when it ran."""
    if not path.is_file():
        return {}, None
    hint = f"delete {path} to analyse all capture again"
    cursor = jsonfile.load(path, "monitoring cursor", hint)
    offsets, end = (cursor.get("offsets"), cursor.get("end")) if isinstance(cursor, dict) else (None, None)
    try:
        if not isinstance(offsets, dict) or not all(isinstance(v, int) for v in offsets.values()):
            raise ValueError("offsets must map capture files to byte offsets")
        return offsets, None if end is None else datetime.fromisoformat(end)
    except (TypeError, ValueError) as error:
        raise FraudspecError(f"the monitoring cursor is malformed: {error}", location=Location(str(path)),
                             hint=hint) from None


def record_endpoint_period(spec: Spec, values: Mapping[str, float], at: datetime) -> tuple[Transition, ...]:
    """One period of the local endpoint's metrics: evaluates the endpoint alarms (error rates by metric math)."""
    watched = [alarm for alarm in alarms(spec) if alarm.source == EVALUATED[ENDPOINT]]
    with _locked(spec):
        return _evaluate(spec, ENDPOINT, iso(at), "Completed", dict(values), datapoint, watched)


def _record(spec: Spec, kind: str, at: str,
            outcome: JobOutcome[ExecutionResult] | JobOutcome[QualityResult]) -> tuple[Transition, ...]:
    values = {datum.name: datum.value for datum in outcome.metrics if datum.value is not None}
    if spec.challenger is not None:  # a challenger's metrics are kept, side by side, but watched by no alarm
        _append(spec.workspace.metrics_history(kind), at, outcome.status, values)
        return ()
    watched = [alarm for alarm in alarms(spec) if alarm.source == EVALUATED[kind]]
    return _evaluate(spec, kind, at, outcome.status, values, lambda alarm, run: run.get(alarm.metric_name), watched)


def _evaluate(spec: Spec, kind: str, at: str, status: str, values: dict[str, float],
              point: Callable[[Alarm, Mapping[str, float]], float | None],
              watched: list[Alarm]) -> tuple[Transition, ...]:
    """Evaluates the alarms on the history plus this run, then appends the run to the kind's history,
    saves the states, and logs and notifies changes: a failure before the append leaves no datapoint."""
    path = spec.workspace.metrics_history(kind)
    history = [row.get("metrics", {}) for _, row in read_json_lines(path, "metrics history", _history_hint(path))]
    history.append(values)
    states = dict(read_alarm_states(spec.workspace.alarm_states))
    transitions = []
    for alarm in watched:
        points = [point(alarm, run) for run in history]
        old: State = states.get(alarm.name, "INSUFFICIENT_DATA")
        states[alarm.name] = new = evaluate(alarm, points, old)
        if new != old:
            transitions.append(Transition(alarm.name, alarm.metric_name, old, new, reason(alarm, points, new)))
    _append(path, at, status, values)
    write_atomic(spec.workspace.alarm_states, jsonfile.dumps(states, sort_keys=True))
    events = notify.record(transitions, spec.workspace.alarm_log, iso(datetime.now(timezone.utc)), spec.names.endpoint)
    notify.notify(events, spec.alarms.notify)
    return tuple(transitions)


def _history_hint(path: Path) -> str:
    return f"remove the broken line from {path.name}, or delete it to start the alarms' history afresh"


def _append(path: Path, at: str, status: str, values: dict[str, float]) -> None:
    """One run's line in a metrics history, on disk before the run reports back."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(jsonfile.line({"window_end": at, "status": status, "metrics": values}))
        handle.flush()
        os.fsync(handle.fileno())


@contextmanager
def _locked(spec: Spec) -> Iterator[None]:
    spec.workspace.monitoring.mkdir(parents=True, exist_ok=True)
    with open(spec.workspace.monitoring_lock, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
