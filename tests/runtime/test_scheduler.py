"""Schedules evaluated like EventBridge: cron in a time zone, rates from start, windows between fires."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest

from fraudspec.runtime.scheduler import Scheduler, Timetable, Window, croniter_expression
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


def test_scheduler_runs_each_window_and_survives_a_failing_run() -> None:
    now = [START]
    windows: list[Window] = []
    done = threading.Event()

    def sleep(seconds: float) -> bool:
        now[0] += timedelta(seconds=seconds)
        return False

    def run(window: Window) -> None:
        windows.append(window)
        if len(windows) == 1:
            raise RuntimeError("first run fails")
        if len(windows) == 3:
            done.set()

    scheduler = Scheduler(Timetable(translate("rate(1 minute)"), START), run, clock=lambda: now[0], sleep=sleep)
    scheduler.start()
    assert done.wait(10)
    scheduler.stop()
    assert [w.end - w.start for w in windows[:3]] == [timedelta(minutes=1)] * 3
    assert windows[1].start == windows[0].end, "windows tile time without gaps"
    assert windows[0].end == START + timedelta(minutes=1)
