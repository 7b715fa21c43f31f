"""Report files out, on a filesystem (atomic writes) or in S3."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

from fraudspec.core.files import write_atomic
from fraudspec.monitoring.records.sources import split_s3_uri


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


def write_execution(sink: ReportSink, folder: str, files: Sequence[tuple[str, bytes]], has_data: bool,
                    at: datetime | None = None) -> tuple[str, ...]:
    """One execution's reports under Model Monitor's hour folder (`folder`, {endpoint}/{schedule}/yyyy/mm/dd/hh):
    always in a folder of its own, `{folder}/{execution_name(at)}/`, so two runs of one hour never
    overwrite each other; and, when the run had data, also at `{folder}/` itself, as Model Monitor
    lays out the hour's report. A run without data never replaces that one. Returns where to read the
    run's reports: the hour folder's files for a run with data, else its own folder's."""
    run = execution_name(at)
    own = tuple(sink.write(f"{folder}/{run}/{name}", data) for name, data in files)
    if not has_data:
        return own
    return tuple(sink.write(f"{folder}/{name}", data) for name, data in files)


def execution_name(at: datetime | None = None) -> str:
    """A run's folder name inside its hour folder: sortable by when it ran, unique beyond that."""
    at = (at or datetime.now(timezone.utc)).astimezone(timezone.utc)
    return f"{at:%Y%m%dT%H%M%S%fZ}-{uuid.uuid4().hex[:8]}"


def report_sink(location: str, client: Callable[[], Any]) -> ReportSink:
    """Reports under `location` (a directory or s3://bucket/prefix); `client()` makes the S3 client."""
    if location.startswith("s3://"):
        bucket, prefix = split_s3_uri(location)
        return S3Sink(client(), bucket, prefix)
    return LocalSink(Path(location))
