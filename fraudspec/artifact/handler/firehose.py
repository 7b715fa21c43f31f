"""Capture through Amazon Data Firehose: each sampled record goes to a delivery stream, which buffers
records into newline-delimited objects in SageMaker's capture layout (its custom S3 prefix
`{prefix}/{endpoint}/{variant}/!{timestamp:yyyy/MM/dd/HH}/`, rendered by fraudspec.render.firehose).

Destination `firehose://{delivery-stream-name}` (FRAUDSPEC_CAPTURE_DESTINATION). One PutRecord per
record, before capture() returns: a serverless instance may be frozen or reclaimed between
invocations, so nothing is held back to batch. Firehose does not separate records, so each one ends
with a newline. Firehose files a record under the hour it arrives (UTC), not the hour of the
inference, so a record written in the last moments of an hour can land in the next hour's folder.
Standard library and boto3 only (SageMaker's containers ship boto3): this module runs in the handler.
"""

from __future__ import annotations

from typing import Any

SCHEME = "firehose"


class FirehoseSink:
    """Puts each record into the delivery stream `stream`; the sink protocol of handler.capture."""

    def __init__(self, stream: str, client: Any = None) -> None:
        self.stream = stream
        self._client = client

    def write(self, hour_key: str, file_name: str, line: str) -> None:
        """`hour_key` and `file_name` are the direct writers' layout; Firehose's prefix makes the key."""
        if self._client is None:
            import boto3  # imported on the first write: file:// capture never needs it

            self._client = boto3.client("firehose")
        self._client.put_record(DeliveryStreamName=self.stream, Record={"Data": (line + "\n").encode("utf-8")})

    def close(self) -> None:
        """Nothing is buffered here: Firehose buffers."""
