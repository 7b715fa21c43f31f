"""Schedules evaluated like EventBridge: cron in a time zone, rates from start, windows between fires."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone

import pytest

from fraudspec.monitoring.records.hours import Window
from fraudspec.runtime.scheduler import Scheduler, SystemClock, Timetable, croniter_expression
from fraudspec.spec.schedule import translate

UTC = timezone.utc
START = datetime(2026, 11, 22, 5, 7, tzinfo=UTC)


def table(source: str, tz: str = "UTC") -> Timetable:
    return Timetable(translate(source, tz), START)


@pytest.mark.parametrize("source, expected_next, expected_window_start", [
    ("hourly", datetime(2026, 11, 22, 6, tzinfo=UTC), datetime(2026, 11, 22, 5, tzinfo=UTC)),
    ("daily at 3", datetime(2026, 11, 23, 3, tzinfo=UTC), datetime(2026, 11, 22, 3, tzinfo=UTC)),
    ("every 6 hours", datetime(2026, 11, 22, 6, tzinfo=UTC), datetime(2026, 11, 22, 0, tzinfo=UTC)),
    ("rate(15 minutes)", datetime(2026, 11, 22, 5, 22, tzinfo=UTC), datetime(2026, 11, 22, 5, 7, tzinfo=UTC)),
    ("cron(30 9 ? * 2 *)", datetime(2026, 11, 23, 9, 30, tzinfo=UTC), datetime(2026, 11, 16, 9, 30, tzinfo=UTC)),
])
def test_next_fire_and_window(source, expected_next, expected_window_start) -> None:
    timetable = table(source)
    fire = timetable.next_after(START)
    assert fire == expected_next
    assert timetable.window_ending(fire) == Window(expected_window_start, expected_next)


def test_time_zone_is_honoured() -> None:
    fire = table("daily at 9", "Asia/Singapore").next_after(START)
    assert fire == datetime(2026, 11, 23, 1, tzinfo=UTC), "09:00 in Singapore is 01:00 UTC"


def test_aws_weekday_numbers_and_year_filter() -> None:
    assert croniter_expression("cron(0 12 ? * 2#3 *)") == ("0 12 * * 1#3", None)
    assert croniter_expression("cron(0 0 1 * ? 2027-2028)")[1] == frozenset({2027, 2028})
    fire = table("cron(0 0 1 * ? 2027)").next_after(START)
    assert fire == datetime(2027, 1, 1, tzinfo=UTC)


def test_scheduler_runs_each_window_and_survives_a_failing_run(manual_clock) -> None:
    clock = manual_clock(START)
    windows: list[Window] = []

    def run(window: Window) -> None:
        windows.append(window)
        if len(windows) == 1:
            raise RuntimeError("first run fails")

    scheduler = Scheduler(Timetable(translate("rate(1 minute)"), START), run, clock)
    scheduler.start()
    try:
        assert clock.waiting(1) == [START + timedelta(minutes=1)] and windows == []
        for minute in (1, 2, 3):
            clock.advance(timedelta(minutes=1))
            assert clock.waiting(1) == [START + timedelta(minutes=minute + 1)], "the next fire time"
    finally:
        scheduler.stop()
    assert windows == [Window(START + timedelta(minutes=m), START + timedelta(minutes=m + 1)) for m in range(3)], \
        "one run per fire, windows tiling time, the first run's failure stopping nothing"


def test_cron_fires_at_its_zone_times_over_days_of_driven_time(manual_clock) -> None:
    clock = manual_clock(START)
    windows: list[Window] = []
    scheduler = Scheduler(table("daily at 9", "Asia/Singapore"), windows.append, clock)
    scheduler.start()
    try:
        first = datetime(2026, 11, 23, 1, tzinfo=UTC)  # 09:00 in Singapore
        assert clock.waiting(1) == [first]
        clock.advance(first - START - timedelta(seconds=1))
        assert clock.waiting(1) == [first] and windows == [], "nothing fires a second early"
        clock.advance(timedelta(seconds=1))
        assert clock.waiting(1) == [first + timedelta(days=1)]
        clock.advance(timedelta(days=1))
        assert clock.waiting(1) == [first + timedelta(days=2)]
    finally:
        scheduler.stop()
    assert windows == [Window(first - timedelta(days=1), first), Window(first, first + timedelta(days=1))]


def test_stop_ends_a_pending_wait_without_a_run(manual_clock) -> None:
    clock = manual_clock(START)
    runs: list[Window] = []
    scheduler = Scheduler(table("hourly"), runs.append, clock)
    scheduler.start()
    assert clock.waiting(1) == [datetime(2026, 11, 22, 6, tzinfo=UTC)]
    began = time.monotonic()
    scheduler.stop()
    assert time.monotonic() - began < 5 and not scheduler._thread.is_alive()
    assert runs == []


def test_the_system_clock_waits_for_the_moment_or_for_stop() -> None:
    clock = SystemClock()
    stop = threading.Event()
    began = clock.now()
    assert began.tzinfo is not None
    assert clock.wait_until(began + timedelta(milliseconds=50), stop) is False
    assert clock.now() >= began + timedelta(milliseconds=50)
    assert clock.wait_until(began - timedelta(hours=1), stop) is False, "a past moment returns at once"
    threading.Timer(0.05, stop.set).start()
    waited = time.monotonic()
    assert clock.wait_until(clock.now() + timedelta(hours=1), stop) is True
    assert time.monotonic() - waited < 5
