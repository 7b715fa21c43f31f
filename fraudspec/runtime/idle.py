"""The local runtime stops itself when idle (environments.local.idle_after_days), as AWS deletes an idle endpoint.

`Activity` sits between the HTTP app and the endpoint and notes the time of every invocation
(health checks on /ping are not invocations, as on SageMaker). `IdleWatch` waits on the runtime's
clock until `idle_after_days` have passed since the later of the start and the last invocation;
then it does what the AWS clean-up does (fraudspec.render.idle): the idle alarm's change to ALARM
is appended to alarms.jsonl and sent to the webhook targets first, then the runtime stops. The
model, baseline and captures stay in build/local/; `fraudspec apply --env local` starts it again,
and the idle alarm's return to OK is recorded and sent the same way.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from fraudspec.monitoring.alarms.definitions import idle_alarm
from fraudspec.monitoring.alarms.evaluate import Transition
from fraudspec.monitoring.alarms.files import read_alarm_log
from fraudspec.monitoring.alarms.notify import notify, record
from fraudspec.runtime.scheduler import Clock
from fraudspec.spec.model import Spec

log = logging.getLogger("fraudspec.runtime")


class Activity:
    """The endpoint, with the time of its latest invocation; every other attribute is the endpoint's."""

    def __init__(self, endpoint: Any, clock: Clock) -> None:
        self._endpoint = endpoint
        self._clock = clock
        self._lock = threading.Lock()
        self.last = clock.now()  # the start counts as activity: a fresh runtime is not idle

    def invoke(self, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            self.last = self._clock.now()
        return self._endpoint.invoke(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._endpoint, name)


class IdleWatch:
    """Calls `stop` once the endpoint has had no invocation for the spec's idle_after_days."""

    def __init__(self, spec: Spec, activity: Activity, clock: Clock, stop: Callable[[], None]) -> None:
        days = spec.environment.idle_after_days
        assert days is not None, "only environments with idle_after_days are watched"
        self._spec, self._activity, self._clock, self._stop = spec, activity, clock, stop
        self.idle_after = timedelta(days=days)
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="fraudspec-idle", daemon=True)

    def start(self) -> None:
        self._recovered(self._clock.now())
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=5)

    def _watch(self) -> None:
        while True:
            deadline = self._activity.last + self.idle_after
            if self._clock.wait_until(deadline, self._stopped):
                return  # the runtime is stopping for another reason
            if self._activity.last + self.idle_after <= self._clock.now():
                self._idle(self._clock.now())
                return

    def _recovered(self, now: datetime) -> None:
        """A runtime started again after an idle stop: the idle alarm returns to OK, as on AWS once the
        recreated endpoint is invoked, so the alarm log does not leave it in ALARM for good."""
        alarm = idle_alarm(self._spec)
        assert alarm is not None
        last = [event for event in read_alarm_log(self._spec.workspace.alarm_log) if event.alarm == alarm.name]
        if not last or last[-1].new != "ALARM":
            return
        reason = "the local runtime started again"
        events = record([Transition(alarm.name, alarm.metric_name, "ALARM", "OK", reason)],
                        self._spec.workspace.alarm_log, now.isoformat(timespec="seconds"), self._spec.names.endpoint)
        notify(events, self._spec.alarms.notify)

    def _idle(self, now: datetime) -> None:
        spec, days = self._spec, self.idle_after.days
        alarm = idle_alarm(spec)
        assert alarm is not None
        reason = (f"no invocations since {self._activity.last.isoformat(timespec='seconds')} ({days} days): the "
                  f"local runtime stops itself; `fraudspec apply --env {spec.environment.name}` starts it again")
        events = record([Transition(alarm.name, alarm.metric_name, "OK", "ALARM", reason)],
                        spec.workspace.alarm_log, now.isoformat(timespec="seconds"), spec.names.endpoint)
        notify(events, spec.alarms.notify)
        log.warning("idle: %s", reason)
        self._stop()
