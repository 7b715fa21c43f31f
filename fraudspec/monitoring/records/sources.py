"""Capture files in, on a filesystem or in S3, in SageMaker's layout.

`{root}/{endpoint}/{variant}/yyyy/mm/dd/hh/*.jsonl` (UTC hour); a window's files are listed in
sorted order and read as newline-aligned blocks.
"""

from __future__ import annotations

import logging
import os
import re
import stat
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from fraudspec.core.errors import FraudspecError
from fraudspec.monitoring.records.blocks import BLOCK_BYTES, CaptureBlock, aligned_blocks
from fraudspec.monitoring.records.hours import Window, floor_hour, hour_path, parse_hour

log = logging.getLogger("fraudspec.monitoring")
# {stream}-{version}-{yyyy-MM-dd-HH-mm-ss}-{uuid}: how Firehose names an object it delivers
FIREHOSE_OBJECT = re.compile(r"-\d+-\d{4}(?:-\d{2}){5}-[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}$")


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
        found = (parse_hour(list(p.relative_to(self.base).parts)) for p in self.base.glob("*/*/*/*") if p.is_dir())
        return sorted(hour for hour in found if hour is not None)

    def objects(self, window: Window) -> list[str]:
        return [str(path) for hour in self.hours() if window.contains_hour(hour)
                for path in sorted((self.base / hour_path(hour)).glob("*.jsonl")) if _regular(path)]

    def blocks(self, name: str) -> Iterator[CaptureBlock]:
        file = open_regular(name)
        if file is None:
            return
        with file:
            # A file of up to two blocks is read in one piece: it ends with a newline, so it needs no
            # copy to be cut at one (SageMaker's capture files are a few MB).
            size = BLOCK_BYTES if os.fstat(file.fileno()).st_size > 2 * BLOCK_BYTES else 2 * BLOCK_BYTES
            yield from aligned_blocks(name, iter(lambda: file.read(size), b""))


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
                hour = parse_hour(parts[:4])
                if hour is not None and len(parts) == 5 and _capture_object(parts[4]):
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



def _capture_object(name: str) -> bool:
    """SageMaker's *.jsonl, or Firehose's default object name (a stream rendered without an extension)."""
    return name.endswith(".jsonl") or FIREHOSE_OBJECT.search(name) is not None


def split_s3_uri(uri: str) -> tuple[str, str]:
    """("bucket", "prefix") of s3://bucket/prefix."""
    bucket, _, prefix = uri[len("s3://"):].partition("/")
    if not uri.startswith("s3://") or not bucket:
        raise FraudspecError(f"{uri!r} is not an S3 location", hint="write s3://bucket/prefix")
    return bucket, prefix.strip("/")


def capture_source(location: str, endpoint: str, variant: str, client: Callable[[], Any]) -> CaptureSource:
    """The capture under `location` (a directory or s3://bucket/prefix); `client()` makes the S3 client."""
    if location.startswith("s3://"):
        bucket, prefix = split_s3_uri(location)
        return S3CaptureSource(client(), bucket, prefix, endpoint, variant)
    return LocalCaptureSource(Path(location), endpoint, variant)


def appended_blocks(name: str, start: int, stop: int) -> Iterator[CaptureBlock]:
    """The whole lines of a local file between byte offsets `start` and `stop`: what was appended
    since a reader stopped at `start`. A line still being written at `stop` waits for the next read."""
    file = open_regular(name)
    if file is None:
        return
    with file:
        file.seek(start)
        remaining = stop - start

        def chunks() -> Iterator[bytes]:
            nonlocal remaining
            while remaining > 0:
                chunk = file.read(min(BLOCK_BYTES, remaining))
                if not chunk:
                    return
                remaining -= len(chunk)
                yield chunk

        for block in aligned_blocks(name, chunks()):
            if block.data.endswith(b"\n"):
                yield block


def window_blocks(source: CaptureSource, window: Window) -> Iterator[CaptureBlock]:
    """Every block of every file in the window's hours, in order: what a scheduled execution reads."""
    for name in source.objects(window):
        yield from source.blocks(name)


def open_regular(name: str) -> BinaryIO | None:
    """`name` opened for reading if it is a regular file, else None with a warning: a FIFO or a device
    named *.jsonl must not block a reader (opened non-blocking, checked on the open descriptor)."""
    try:
        descriptor = os.open(name, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as error:
        log.warning("skipped %s: %s", name, error.strerror or error)
        return None
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        log.warning("skipped %s: not a regular file", name)
        return None
    os.set_blocking(descriptor, True)
    return os.fdopen(descriptor, "rb")


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False
