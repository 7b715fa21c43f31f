"""Report files out, on a filesystem (atomic writes) or in S3."""

from __future__ import annotations

from collections.abc import Callable
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


def report_sink(location: str, client: Callable[[], Any]) -> ReportSink:
    """Reports under `location` (a directory or s3://bucket/prefix); `client()` makes the S3 client."""
    if location.startswith("s3://"):
        bucket, prefix = split_s3_uri(location)
        return S3Sink(client(), bucket, prefix)
    return LocalSink(Path(location))
