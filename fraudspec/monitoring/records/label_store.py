"""Where ground truth lives: `{location}/yyyy/mm/dd/hh/*.jsonl`, a directory or an S3 prefix.

The hour is when the labels arrived (SageMaker's rule), not when the predictions were made, so
a label that arrives late lands in a later hour. The layout is capture's without the endpoint and
variant levels, so the capture sources of fraudspec.monitoring.records.sources list and read it.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from fraudspec.core.files import write_atomic
from fraudspec.monitoring.records.groundtruth import ground_truth_line
from fraudspec.monitoring.records.hours import hour_path
from fraudspec.monitoring.records.sources import CaptureSource, LocalCaptureSource, S3CaptureSource, split_s3_uri


@dataclass(frozen=True)
class GroundTruthLabel:
    key: str  # the request's inferenceId (what `fraudspec traffic` sends), else the capture's eventId
    label: int  # 1 = fraud
    time: datetime  # timezone-aware; when the label became known: decides its hour folder


class S3GroundTruthSource(S3CaptureSource):
    def __init__(self, client: Any, bucket: str, prefix: str) -> None:
        super().__init__(client, bucket, prefix, "", "")
        prefix = prefix.strip("/")
        self.base = f"{prefix}/" if prefix else ""  # labels at the bucket's root list from ""


def ground_truth_source(location: str, client: Callable[[], Any]) -> CaptureSource:
    """The labels under `location`; `client()` makes the S3 client, only for s3:// locations."""
    if location.startswith("s3://"):
        bucket, prefix = split_s3_uri(location)
        return S3GroundTruthSource(client(), bucket, prefix)
    return LocalCaptureSource(Path(location), "", "")


def write_ground_truth(destination: str, labels: Iterable[GroundTruthLabel], client: Any = None) -> tuple[str, ...]:
    """One new file per arrival hour under `destination` (a directory or s3://bucket/prefix), named like
    SageMaker's capture files ({MM}-{SS}-{mmm}-{uuid}.jsonl, from the hour's first label), so repeated
    writes never overwrite each other; returns where each file went."""
    by_hour: dict[str, list[GroundTruthLabel]] = defaultdict(list)
    for label in labels:
        by_hour[hour_path(label.time)].append(label)
    if by_hour and destination.startswith("s3://") and client is None:
        import boto3  # only S3 destinations need it

        client = boto3.client("s3")
    written = []
    for hour, group in sorted(by_hour.items()):
        first = min(label.time for label in group)
        name = f"{first:%M-%S}-{first.microsecond // 1000:03d}-{uuid.uuid4()}.jsonl"
        data = "".join(ground_truth_line(label.key, (label.label,)) + "\n" for label in group).encode()
        written.append(_put(destination, f"{hour}/{name}", data, client))
    return tuple(written)


def _put(destination: str, relative: str, data: bytes, client: Any) -> str:
    if not destination.startswith("s3://"):
        path = Path(destination).joinpath(*relative.split("/"))
        write_atomic(path, data)
        return str(path)
    bucket, prefix = split_s3_uri(destination)
    key = "/".join(part for part in (prefix, relative) if part)
    client.put_object(Bucket=bucket, Key=key, Body=data, ContentType="application/jsonlines")
    return f"s3://{bucket}/{key}"
