"""Monitoring schedules: the friendly forms, and the two cron dialects AWS speaks.

- Model Monitor accepts only `cron(0 * ? * * *)` (hourly), `cron(0 H ? * * *)` (daily) and
  `cron(0 H/N ? * * *)` (every N hours).
- EventBridge Scheduler (the fraudspec engine, and the local scheduler) accepts any
  `cron(min hour day-of-month month day-of-week year)` and `rate(N unit)`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from itertools import pairwise

from fraudspec.spec.model import Schedule

_DAILY_AT = re.compile(r"^daily(?: at (\d{1,2})(?::00)?)?$")
_EVERY_N_HOURS = re.compile(r"^every (\d{1,2}) hours?$")
# The one parser of `rate(N unit)`: validation, the rendered window and the local scheduler use it.
_RATE = re.compile(r"^rate\((\d+) (minute|hour|day)(s?)\)$")
_RATE_UNITS = {"minute": timedelta(minutes=1), "hour": timedelta(hours=1), "day": timedelta(days=1)}
# The longest rate fraudspec accepts: a monitoring window longer than a year is a typo, and a huge N
# must not overflow datetime arithmetic in the scheduler.
MAX_RATE = timedelta(days=366)
_CRON = re.compile(r"^cron\((.*)\)$")
_MM_FORMS = (
    re.compile(r"^cron\(0 \* \? \* \* \*\)$"),
    re.compile(r"^cron\(0 ([01]?\d|2[0-3]) \? \* \* \*\)$"),
    re.compile(r"^cron\(0 ([01]?\d|2[0-3])/([1-9]|1\d|2[0-3]) \? \* \* \*\)$"),
)
_RANGES = (("minute", 0, 59), ("hour", 0, 23), ("day-of-month", 1, 31), ("month", 1, 12),
           ("day-of-week", 1, 7), ("year", 1970, 2199))
# One cron field: lists of values, ranges, steps, names and the special characters AWS allows.
_FIELD = re.compile(r"^[0-9A-Za-z*?,/\-#LW]+$")


@dataclass(frozen=True)
class ScheduleProblem:
    message: str
    hint: str


FORMS_HINT = "write hourly, daily, 'daily at H', 'every N hours', cron(min hour dom month dow year) or rate(N hours)"
MM_HINT = ("Model Monitor accepts only hourly, 'daily at H' and 'every N hours' "
           "(cron(0 * ? * * *), cron(0 H ? * * *), cron(0 H/N ? * * *))")


def translate(source: str, timezone: str = "UTC") -> Schedule:
    """The schedule in both dialects; `source` must have passed `problem(source, engine)`."""
    expression = _expression(source.strip())
    if expression is None:
        raise ValueError(f"not a schedule: {source!r}")
    model_monitor = expression if any(form.match(expression) for form in _MM_FORMS) else None
    return Schedule(source=source, expression=expression, model_monitor=model_monitor, timezone=timezone)


def problem(source: str, engine: str) -> ScheduleProblem | None:
    """Why `source` cannot drive the given engine, or None when it can."""
    text = source.strip()
    expression = _expression(text)
    if expression is None and _RATE.match(text):
        return ScheduleProblem(f"'{source}' is not a rate AWS accepts, or is longer than {MAX_RATE.days} days",
                               "write rate(1 hour) or rate(N hours) with N >= 2, at most a year")
    if expression is None:
        return ScheduleProblem(f"'{source}' is not a schedule", FORMS_HINT)
    cron = _CRON.match(expression)
    if cron and (issue := _cron_problem(cron.group(1)) or _never_fires(cron.group(1))):
        return ScheduleProblem(f"'{source}': {issue}", "EventBridge cron has six fields: "
                               "minute hour day-of-month month day-of-week year, with ? in day-of-month or day-of-week")
    if engine == "sagemaker" and not any(form.match(expression) for form in _MM_FORMS):
        return ScheduleProblem(f"'{source}' is not a schedule Model Monitor accepts", MM_HINT)
    return None


def rate_interval(expression: str) -> timedelta | None:
    """How often `rate(N unit)` fires; None for any other expression, or a rate AWS would refuse
    (N < 1, or the unit's number not matching N: AWS wants rate(1 hour) but rate(2 hours))."""
    match = _RATE.match(expression)
    if match is None:
        return None
    count, unit, plural = int(match.group(1)), match.group(2), match.group(3)
    if count < 1 or (count == 1) == bool(plural) or count > MAX_RATE / _RATE_UNITS[unit]:
        return None
    return count * _RATE_UNITS[unit]


def croniter_expression(aws: str) -> tuple[str, frozenset[int] | None]:
    """For the local scheduler (AWS numbers days of the week 1-7 from Sunday, croniter 0-6):
    `cron(0 12 ? * 2#3 *)` -> ("0 12 * * 1#3", None); the year field becomes a filter."""
    minute, hour, day, month, weekday, year = aws[len("cron("):-1].split()
    weekday = re.sub(r"(?<![#\d])(\d)", lambda m: str(int(m.group(1)) - 1), weekday)
    fields = [field.replace("?", "*") for field in (minute, hour, day, month, weekday)]
    return " ".join(fields), None if year == "*" else _years(year)


def _croniter_accepts(aws: str) -> bool:
    from croniter import croniter  # only for the rare L/W/# forms: keeps validation start-up light

    return croniter.is_valid(croniter_expression(aws)[0])


def _years(field: str) -> frozenset[int]:
    years: set[int] = set()
    for part in field.split(","):
        span, _, step = part.partition("/")
        low, _, high = span.partition("-")
        first = int(low) if low != "*" else 1970
        last = int(high) if high else (2199 if step or low == "*" else first)
        years.update(range(first, last + 1, int(step or 1)))
    return frozenset(years)


def _expression(text: str) -> str | None:
    if text == "hourly":
        return "cron(0 * ? * * *)"
    if match := _DAILY_AT.match(text):
        hour = int(match.group(1) or 0)
        return f"cron(0 {hour} ? * * *)" if hour < 24 else None
    if match := _EVERY_N_HOURS.match(text):
        step = int(match.group(1))
        return f"cron(0 0/{step} ? * * *)" if 1 <= step <= 23 else None
    if rate_interval(text) is not None:
        return text
    if _CRON.match(text):
        return text
    return None


def _cron_problem(body: str) -> str | None:
    fields = body.split()
    if len(fields) != 6:
        return f"a cron expression needs 6 fields, this one has {len(fields)}"
    if not all(_FIELD.match(field) for field in fields):
        return "a cron field has a character AWS does not allow"
    day_of_month, day_of_week = fields[2], fields[4]
    if (day_of_month == "?") == (day_of_week == "?"):
        return "exactly one of day-of-month and day-of-week must be ?"
    if "?" in (fields[0], fields[1], fields[3], fields[5]):
        return "? is only allowed in day-of-month or day-of-week"
    if re.search(r"[LW#]", body) and not _croniter_accepts(f"cron({body})"):
        return "this use of L, W or # cannot be evaluated by the local scheduler"
    for field, (name, low, high) in zip(fields, _RANGES):
        values = [int(number) for number in re.findall(r"(?<![/#])\b\d+", field)]
        if any(not low <= value <= high for value in values):
            return f"{name} values must be within {low}-{high}"
    return None


def _never_fires(body: str, now: datetime | None = None) -> str | None:
    """Why a valid cron never fires again (February 30, April 31, only past years), else None. Only
    expressions that name days of the month or years can: the others skip croniter's import."""
    _, _, day, month, _, year = body.split()
    if not (re.search(r"\d", day) and month != "*") and year == "*":
        return None
    from croniter import CroniterBadDateError, croniter

    now = now or datetime.now(timezone.utc)
    expression, years = croniter_expression(f"cron({body})")
    for first in sorted(y for y in (years or {now.year}) if y >= now.year):
        start = max(now, datetime(first, 1, 1, tzinfo=timezone.utc) - timedelta(seconds=1)) if years else now
        try:
            fire = croniter(expression, start).get_next(datetime)
        except CroniterBadDateError:
            break
        if years is None or fire.year == first:
            return None
    return "this schedule never fires (no such date, or only in past years)"


_REFERENCE = datetime(2024, 1, 1, tzinfo=timezone.utc)


@functools.lru_cache(maxsize=256)
def window_seconds(schedule: Schedule) -> int:
    """How much capture one run analyses: the shortest gap between two runs of the schedule
    (remembered: a cron window takes croniter tens of milliseconds, and validation, alarms and cost
    ask for the same schedules many times)."""
    interval = rate_interval(schedule.expression) or _every_day(schedule.expression)
    if interval is not None:
        return int(interval.total_seconds())
    from croniter import croniter  # off the CLI's start-up path

    runs = croniter(croniter_expression(schedule.expression)[0], _REFERENCE)
    times = [runs.get_next(datetime) for _ in range(400)]
    return int(min(later - earlier for earlier, later in pairwise(times)).total_seconds())


_DAILY_CRON = re.compile(r"^cron\((\d{1,2}) (\*|\d{1,2}|(?:\*|0)/(\d{1,2})) [*?] \* [*?] \*\)$")


def _every_day(expression: str) -> timedelta | None:
    """The gap of a cron that fires at one minute of every hour, of every N hours (N dividing 24),
    or of one hour, every day: the friendly forms, without croniter."""
    match = _DAILY_CRON.match(expression)
    if match is None:
        return None
    hours, step = match.group(2), match.group(3)
    if hours == "*":
        return timedelta(hours=1)
    if step is None:
        return timedelta(days=1)
    return timedelta(hours=int(step)) if 0 < int(step) <= 24 and 24 % int(step) == 0 else None
