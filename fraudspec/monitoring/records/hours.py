"""Hour windows, as Model Monitor reads capture: whole UTC hours, `yyyy/mm/dd/hh` folders.

A window [start, end) holds an hour folder when the hour starts at or after start rounded down to
the hour and before end. Reports go to `{endpoint}/{schedule}/yyyy/mm/dd/hh/`, where the hour is
the window's end (the scheduled time of the execution that covers it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from fraudspec.core.errors import FraudspecError

HOUR = timedelta(hours=1)

@dataclass(frozen=True)
class Window:
    start: datetime  # UTC, inclusive
    end: datetime  # UTC, exclusive

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("window times must be timezone-aware")
        if self.end <= self.start:
            raise FraudspecError(f"the window ends ({iso(self.end)}) before it starts ({iso(self.start)})",
                                 hint="give --end later than --start")

    @classmethod
    def previous_hour(cls, now: datetime) -> Window:
        end = floor_hour(now)
        return cls(end - HOUR, end)

    def contains_hour(self, hour: datetime) -> bool:
        return floor_hour(self.start) <= hour < self.end

    def label(self) -> str:
        return f"[{iso(self.start)}, {iso(self.end)})"


def floor_hour(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc).replace(minute=0, second=0, microsecond=0)


def ceil_hour(moment: datetime) -> datetime:
    floor = floor_hour(moment)
    return floor if floor == moment else floor + HOUR


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def hour_path(hour: datetime) -> str:
    return hour.astimezone(timezone.utc).strftime("%Y/%m/%d/%H")


def parse_hour(parts: list[str]) -> datetime | None:
    """yyyy/mm/dd/hh folder names as a UTC hour, None for anything else."""
    if len(parts) != 4 or [len(p) for p in parts] != [4, 2, 2, 2] or not all(p.isdigit() for p in parts):
        return None
    year, month, day, hour = (int(p) for p in parts)
    try:
        return datetime(year, month, day, hour, tzinfo=timezone.utc)
    except ValueError:
        return None



def report_folder(endpoint: str, schedule: str, window: Window) -> str:
    return f"{endpoint}/{schedule}/{hour_path(ceil_hour(window.end))}"
