"""The edge: capture files in, report files out, on a filesystem or in S3.

Capture follows SageMaker's layout, `{root}/{endpoint}/{variant}/yyyy/mm/dd/hh/*.jsonl` (UTC hour).
Windows are whole hours, as Model Monitor reads them: an hour folder belongs to [start, end) when it
starts at or after start rounded down to the hour and before end. Files are read in sorted order,
in newline-aligned blocks, so memory stays flat however large a file is.

Reports go to `{root}/{endpoint}/{schedule}/yyyy/mm/dd/hh/` where the hour is the window's end (the
scheduled time of the execution that covers the window). Local writes are atomic (temp + rename).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator, Protocol

from fraudspec.errors import FraudspecError
from fraudspec.files import write_atomic

HOUR = timedelta(hours=1)
BLOCK_BYTES = 16 * 1024 * 1024


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


def _parse_hour(parts: list[str]) -> datetime | None:
    """yyyy/mm/dd/hh folder names as a UTC hour, None for anything else."""
    if len(parts) != 4 or [len(p) for p in parts] != [4, 2, 2, 2] or not all(p.isdigit() for p in parts):
        return None
    year, month, day, hour = (int(p) for p in parts)
    try:
        return datetime(year, month, day, hour, tzinfo=timezone.utc)
    except ValueError:
        return None


@dataclass(frozen=True)
class CaptureBlock:
    source: str  # the file or s3:// object, for messages; a source's blocks arrive in order
    data: bytes  # whole lines


def aligned_blocks(source: str, chunks: Iterable[bytes]) -> Iterator[CaptureBlock]:
    """Re-cut a byte stream into blocks that end at a newline (the last one may not)."""
    carry = b""
    for chunk in chunks:
        cut = chunk.rfind(b"\n") + 1
        if not cut:
            carry += chunk
            continue
        yield CaptureBlock(source, b"".join((carry, memoryview(chunk)[:cut])))
        carry = chunk[cut:]
    if carry:
        yield CaptureBlock(source, carry)


class CaptureSource(Protocol):
    def hours(self) -> list[datetime]:
        """Every hour that has a capture folder, sorted."""

    def objects(self, window: Window) -> list[str]:
        """The capture files of the window's hours, sorted."""

    def blocks(self, name: str) -> Iterator[CaptureBlock]: ...


class LocalCaptureSource:
    def __init__(self, root: Path, endpoint: str, variant: str) -> None:
        self.base = root / endpoint / variant

    def hours(self) -> list[datetime]:
        found = (_parse_hour(list(p.relative_to(self.base).parts)) for p in self.base.glob("*/*/*/*") if p.is_dir())
        return sorted(hour for hour in found if hour is not None)

    def objects(self, window: Window) -> list[str]:
        return [str(path) for hour in self.hours() if window.contains_hour(hour)
                for path in sorted((self.base / hour_path(hour)).glob("*.jsonl"))]

    def blocks(self, name: str) -> Iterator[CaptureBlock]:
        with open(name, "rb") as file:
            yield from aligned_blocks(name, iter(lambda: file.read(BLOCK_BYTES), b""))


class S3CaptureSource:
    def __init__(self, client: Any, bucket: str, prefix: str, endpoint: str, variant: str) -> None:
        self.client, self.bucket = client, bucket
        self.base = "/".join(p for p in (prefix.strip("/"), endpoint, variant) if p) + "/"

    def _keys(self, start_after: str = "") -> Iterator[tuple[datetime, str]]:
        paginator = self.client.get_paginator("list_objects_v2")
        extra = {"StartAfter": start_after} if start_after else {}
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.base, **extra):
            for item in page.get("Contents", []):
                key = item["Key"]
                parts = key[len(self.base):].split("/")
                hour = _parse_hour(parts[:4])
                if hour is not None and len(parts) == 5 and key.endswith(".jsonl"):
                    yield hour, key

    def hours(self) -> list[datetime]:
        return sorted({hour for hour, _ in self._keys()})

    def objects(self, window: Window) -> list[str]:
        # Keys sort by hour, so listing starts at the window and stops after it.
        found = []
        for hour, key in self._keys(self.base + hour_path(floor_hour(window.start))):
            if hour >= window.end:
                break
            if window.contains_hour(hour):
                found.append(key)
        return sorted(found)

    def blocks(self, name: str) -> Iterator[CaptureBlock]:
        body = self.client.get_object(Bucket=self.bucket, Key=name)["Body"]
        yield from aligned_blocks(f"s3://{self.bucket}/{name}", body.iter_chunks(BLOCK_BYTES))


class ReportSink(Protocol):
    def write(self, relative: str, data: bytes) -> str:
        """Store data at relative (a '/'-separated path); returns where it went."""


class LocalSink:
    def __init__(self, root: Path) -> None:
        self.root = root

    def write(self, relative: str, data: bytes) -> str:
        path = self.root.joinpath(*relative.split("/"))
        write_atomic(path, data)
        return str(path)


class S3Sink:
    def __init__(self, client: Any, bucket: str, prefix: str) -> None:
        self.client, self.bucket, self.prefix = client, bucket, prefix.strip("/")

    def write(self, relative: str, data: bytes) -> str:
        key = "/".join(p for p in (self.prefix, relative) if p)
        self.client.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType="application/json")
        return f"s3://{self.bucket}/{key}"


def split_s3_uri(uri: str) -> tuple[str, str]:
    """("bucket", "prefix") of s3://bucket/prefix."""
    bucket, _, prefix = uri[len("s3://"):].partition("/")
    if not uri.startswith("s3://") or not bucket:
        raise FraudspecError(f"{uri!r} is not an S3 location", hint="write s3://bucket/prefix")
    return bucket, prefix.strip("/")


def report_folder(endpoint: str, schedule: str, window: Window) -> str:
    return f"{endpoint}/{schedule}/{hour_path(ceil_hour(window.end))}"
