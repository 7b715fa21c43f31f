"""The local runtime's monitoring clock: the spec's schedule, evaluated like EventBridge would.

`cron(min hour dom month dow year)` is evaluated in the schedule's time zone with croniter
(see fraudspec.spec.schedule.croniter_expression); `rate(N unit)` fires every N units
from the moment the runtime started. Each run analyses the window since the previous fire time.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable
from zoneinfo import ZoneInfo

from fraudspec.spec.model import Schedule
from fraudspec.spec.schedule import croniter_expression

log = logging.getLogger("fraudspec.scheduler")
_RATE = re.compile(r"^rate\((\d+) (minute|hour|day)s?\)$")
_UNITS = {"minute": timedelta(minutes=1), "hour": timedelta(hours=1), "day": timedelta(days=1)}


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime


class Timetable:
    def __init__(self, schedule: Schedule, started: datetime) -> None:
        self.schedule = schedule
        self.started = started
        rate = _RATE.match(schedule.expression)
        self.interval = int(rate.group(1)) * _UNITS[rate.group(2)] if rate else None
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


class Scheduler:
    """Calls `run(window)` at every fire time, in a daemon thread, until `stop()`.

    `clock` and `sleep` are injectable so tests can run hours of schedule in milliseconds;
    `sleep(seconds)` returns True when the scheduler was stopped meanwhile.
    """

    def __init__(self, timetable: Timetable, run: Callable[[Window], None],
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
                 sleep: Callable[[float], bool] | None = None) -> None:
        self.timetable = timetable
        self.run = run
        self.clock = clock
        self._stop = threading.Event()
        self.sleep = sleep or self._stop.wait
        self._thread = threading.Thread(target=self._loop, name="fraudspec-monitoring", daemon=True)
        self.next_fire: datetime | None = None

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def _loop(self) -> None:
        while not self._stop.is_set():
            fire = self.timetable.next_after(self.clock())
            self.next_fire = fire
            if self.sleep(max(0.0, (fire - self.clock()).total_seconds())) or self._stop.is_set():
                return
            try:
                self.run(self.timetable.window_ending(fire))
            except Exception:  # noqa: BLE001 - one failed run must not stop the schedule
                log.exception("scheduled monitoring run at %s failed", fire.isoformat())
