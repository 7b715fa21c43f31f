"""Schedules: `rate(N unit)` has one parser, which validation, render and the local scheduler share."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from fraudspec.spec.schedule import problem, rate_interval, translate

PACKAGE = Path(__file__).resolve().parents[2] / "fraudspec"


@pytest.mark.parametrize(("expression", "interval"), [
    ("rate(1 minute)", timedelta(minutes=1)), ("rate(15 minutes)", timedelta(minutes=15)),
    ("rate(1 hour)", timedelta(hours=1)), ("rate(6 hours)", timedelta(hours=6)), ("rate(2 days)", timedelta(days=2)),
])
def test_rate_interval(expression: str, interval: timedelta) -> None:
    assert rate_interval(expression) == interval
    assert problem(expression, "fraudspec") is None and translate(expression).expression == expression


@pytest.mark.parametrize("expression", [
    "rate(1 minutes)", "rate(2 hour)", "rate(0 hours)", "rate(1 week)", "rate(1  hour)", "cron(0 * ? * * *)", "hourly",
])
def test_not_a_rate_aws_accepts(expression: str) -> None:
    assert rate_interval(expression) is None
    if expression.startswith("rate("):
        assert problem(expression, "fraudspec") is not None, "validation refuses what the parser refuses"


def test_no_other_module_parses_rate_expressions() -> None:
    copies = sorted(path.relative_to(PACKAGE).as_posix() for path in PACKAGE.rglob("*.py")
                    if "rate\\(" in path.read_text(encoding="utf-8"))
    assert copies == ["spec/schedule.py"], "use fraudspec.spec.schedule.rate_interval"


@pytest.mark.parametrize("source", ["hourly", "daily", "daily at 3", "every 6 hours", "every 5 hours",
                                    "cron(15 * * * ? *)", "cron(0 0/4 ? * * *)", "cron(0 9 ? * MON-FRI *)"])
def test_the_friendly_forms_window_without_croniter_as_croniter_counts_it(source: str,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from fraudspec.spec import schedule

    chosen = schedule.translate(source)
    fast = schedule.window_seconds.__wrapped__(chosen)
    monkeypatch.setattr(schedule, "_every_day", lambda expression: None)
    assert schedule.window_seconds.__wrapped__(chosen) == fast
