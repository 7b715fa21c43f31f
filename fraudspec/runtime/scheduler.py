"""The local runtime's monitoring clock: the spec's schedule, evaluated like EventBridge would.

`cron(min hour dom month dow year)` is evaluated in the schedule's time zone with croniter
(see fraudspec.spec.schedule.croniter_expression); `rate(N unit)` fires every N units
from the moment the runtime started. Each run analyses the window since the previous fire time.

The Scheduler reads time only through its Clock, so tests drive hours of schedule in milliseconds
with a clock that moves when they say; the runtime uses SYSTEM_CLOCK.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Protocol
from zoneinfo import ZoneInfo

from fraudspec.monitoring.records.hours import Window
from fraudspec.spec.model import Schedule
from fraudspec.spec.schedule import croniter_expression, rate_interval

log = logging.getLogger("fraudspec.scheduler")


class Timetable:
    def __init__(self, schedule: Schedule, started: datetime) -> None:
        self.schedule = schedule
        self.started = started
        self.interval = rate_interval(schedule.expression)
        if self.interval is None and not schedule.expression.startswith("cron("):
            raise ValueError(f"{schedule.expression} is neither a rate nor a cron expression")
        self.zone = ZoneInfo(schedule.timezone)

    def next_after(self, moment: datetime) -> datetime:
        if self.interval is not None:
            periods = (moment - self.started) // self.interval + 1
            return self.started + periods * self.interval
        return self._cron(moment, forward=True)

    def window_ending(self, fire: datetime) -> Window:
        if self.interval is not None:
            return Window(fire - self.interval, fire)
        return Window(self._cron(fire, forward=False), fire)

    def _cron(self, moment: datetime, forward: bool) -> datetime:
        from croniter import croniter

        expression, years = croniter_expression(self.schedule.expression)
        iterator = croniter(expression, moment.astimezone(self.zone))
        for _ in range(10000):  # bounded: a year filter that never matches must not spin forever
            fire = iterator.get_next(datetime) if forward else iterator.get_prev(datetime)
            if years is None or fire.year in years:
                return fire.astimezone(timezone.utc)
        raise ValueError(f"{self.schedule.expression} never fires")


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware."""

    def wait_until(self, moment: datetime, stop: threading.Event) -> bool:
        """Blocks until `moment` has come (False) or `stop` is set (True), whichever is first."""


class SystemClock:
    """The wall clock. A wait wakes at least every minute to read it again: Event.wait counts
    monotonic time, which stands still while the machine sleeps, and the wall clock can be stepped."""

    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    def wait_until(self, moment: datetime, stop: threading.Event) -> bool:
        while not stop.is_set():
            remaining = (moment - self.now()).total_seconds()
            if remaining <= 0:
                return False
            stop.wait(min(remaining, 60.0))
        return True


SYSTEM_CLOCK = SystemClock()


class Scheduler:
    """Calls `run(window)` at every fire time, in a daemon thread, until `stop()`."""

    def __init__(self, timetable: Timetable, run: Callable[[Window], None], clock: Clock = SYSTEM_CLOCK) -> None:
        self.timetable = timetable
        self.run = run
        self.clock = clock
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="fraudspec-monitoring", daemon=True)
        self.next_fire: datetime | None = None

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def _loop(self) -> None:
        while not self._stop.is_set():
            fire = self.timetable.next_after(self.clock.now())
            self.next_fire = fire
            if self.clock.wait_until(fire, self._stop) or self._stop.is_set():
                return
            try:
                self.run(self.timetable.window_ending(fire))
            except Exception:
                log.exception("scheduled monitoring run at %s failed", fire.isoformat())
