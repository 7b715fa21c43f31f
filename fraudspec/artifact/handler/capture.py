"""Data capture inside the handler, in SageMaker's data-capture format.

AWS offers no data capture on serverless endpoints, so the handler writes the records itself:
one JSON Lines record per sampled request, under SageMaker's key layout (UTC hour)
    {destination}/{endpoint}/{variant}/yyyy/mm/dd/hh/{MM}-{SS}-{mmm}-{uuid}.jsonl
so anything that reads real captures (fraudspec monitoring, Model Monitor) reads these too.

Configuration, from the environment:
    FRAUDSPEC_CAPTURE_DESTINATION       s3://bucket/prefix, file:///absolute/dir or firehose://stream
                                        (fraudspec/artifact/handler/firehose.py); unset: off
    FRAUDSPEC_CAPTURE_SAMPLING_PERCENT  0-100, default 100
    FRAUDSPEC_ENDPOINT_NAME             required when a destination is set
    FRAUDSPEC_VARIANT_NAME              default AllTraffic
    FRAUDSPEC_CAPTURE_MODES             input,output (the default), input, or output
    FRAUDSPEC_CAPTURE_ON_FAILURE        fail (the default): a record that cannot be written fails its
                                        request (the caller retries); drop: answer anyway, count it
    FRAUDSPEC_CAPTURE_KMS_KEY_ID        s3:// only: the KMS key objects are encrypted with (SSE-KMS)
    FRAUDSPEC_CAPTURE_METRICS_NAMESPACE set: each failure is also published to CloudWatch as
                                        CaptureFailures (EndpointName, VariantName) in it

Writes:
    file://  one open file per hour, named after its first record; each record is written to the
             file (write(2), so it survives a crash of the process) before capture() returns, and
             fdatasync'd by a background thread within SYNC_SECONDS, and when the file closes. A
             failed write is cut off again (the file never keeps half a line) and the next record
             reopens the file: capture recovers as soon as the disk has room.
    s3://    one object per record, put before capture() returns: serverless instances can be
             frozen or reclaimed between invocations, so records held in a buffer could be lost.
             boto3 (present in SageMaker's containers) is imported on the first write.

capture() answers whether the record was written; an invalid configuration disables capture
(logged at start-up); a failed write is logged and counted in `Capturer.failures`, and the
caller decides by `CaptureConfig.on_failure` what the request gets.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import random
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import unquote, urlsplit

if __package__:
    from . import firehose
else:  # SageMaker imports code/ modules as top-level modules
    import firehose  # type: ignore[no-redef]

ENV_DESTINATION = "FRAUDSPEC_CAPTURE_DESTINATION"
ENV_SAMPLING_PERCENT = "FRAUDSPEC_CAPTURE_SAMPLING_PERCENT"
ENV_ENDPOINT = "FRAUDSPEC_ENDPOINT_NAME"
ENV_VARIANT = "FRAUDSPEC_VARIANT_NAME"
ENV_MODES = "FRAUDSPEC_CAPTURE_MODES"
ENV_ON_FAILURE = "FRAUDSPEC_CAPTURE_ON_FAILURE"
ENV_KMS_KEY = "FRAUDSPEC_CAPTURE_KMS_KEY_ID"
ENV_METRICS_NAMESPACE = "FRAUDSPEC_CAPTURE_METRICS_NAMESPACE"
FAILURE_METRIC = "CaptureFailures"
MODES = ("input", "output")
FAIL, DROP = "fail", "drop"
SYNC_SECONDS = 1.0
# Content types captured as text; anything else is captured as BASE64, as SageMaker does.
_TEXT_ENCODINGS = {"text/csv": "CSV", "application/json": "JSON"}

log = logging.getLogger("fraudspec.capture")


@dataclass(frozen=True)
class CaptureConfig:
    destination: str
    endpoint: str
    variant: str = "AllTraffic"
    sampling_percent: float = 100.0
    modes: tuple[str, ...] = MODES
    on_failure: str = FAIL
    kms_key_id: str = ""
    metrics_namespace: str = ""


def config_from_environment(environ: Mapping[str, str]) -> CaptureConfig | None:
    """The capture settings, None when no destination is set; ValueError names a bad setting."""
    destination = environ.get(ENV_DESTINATION, "").strip()
    if not destination:
        return None
    endpoint = environ.get(ENV_ENDPOINT, "").strip()
    if not endpoint:
        raise ValueError(f"{ENV_ENDPOINT} must be set when {ENV_DESTINATION} is")
    percent_text = environ.get(ENV_SAMPLING_PERCENT, "100").strip()
    try:
        percent = float(percent_text)
    except ValueError:
        percent = -1.0
    if not 0 <= percent <= 100:
        raise ValueError(f"{ENV_SAMPLING_PERCENT} must be a number from 0 to 100, got {percent_text!r}")
    modes = tuple(m.strip().lower() for m in environ.get(ENV_MODES, ",".join(MODES)).split(",") if m.strip())
    if not modes or any(m not in MODES for m in modes):
        raise ValueError(f"{ENV_MODES} must list input and/or output, got {environ.get(ENV_MODES)!r}")
    on_failure = environ.get(ENV_ON_FAILURE, FAIL).strip().lower() or FAIL
    if on_failure not in (FAIL, DROP):
        raise ValueError(f"{ENV_ON_FAILURE} must be {FAIL} or {DROP}, got {on_failure!r}")
    kms_key_id = environ.get(ENV_KMS_KEY, "").strip()
    sink_for(destination, kms_key_id)  # validates the URI without opening anything
    variant = environ.get(ENV_VARIANT, "").strip() or "AllTraffic"
    metrics_namespace = environ.get(ENV_METRICS_NAMESPACE, "").strip()
    return CaptureConfig(destination, endpoint, variant, percent, modes, on_failure, kms_key_id, metrics_namespace)


class FileSink:
    """Appends records under a local directory, one open file per hour; a background thread
    fdatasyncs the open file within SYNC_SECONDS of a write, so no request waits for the disk."""

    def __init__(self, root: str) -> None:
        self.root = root
        self._lock = threading.Lock()
        self._hour: str | None = None
        self._fd: int | None = None
        self._dirty = False  # written since the last sync
        self._syncer: threading.Thread | None = None

    def write(self, hour_key: str, file_name: str, line: str) -> None:
        data = (line + "\n").encode("utf-8")
        with self._lock:
            if hour_key != self._hour:
                self._close()
                directory = os.path.join(self.root, *hour_key.split("/"))
                os.makedirs(directory, exist_ok=True)
                self._fd = os.open(os.path.join(directory, file_name), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
                self._hour = hour_key
            assert self._fd is not None  # opened above for this hour
            fd = self._fd
            end = os.lseek(fd, 0, os.SEEK_END)
            try:
                written = 0
                while written < len(data):
                    written += os.write(fd, data[written:])
            except OSError:
                self._cut(fd, end)
                raise
            self._dirty = True
            if self._syncer is None:
                self._syncer = threading.Thread(target=self._sync_forever, name="capture-sync", daemon=True)
                self._syncer.start()

    def _sync_forever(self) -> None:
        while True:
            time.sleep(SYNC_SECONDS)
            with self._lock:  # a duplicate descriptor: the sync runs without holding up writers
                fd = os.dup(self._fd) if self._dirty and self._fd is not None else None
                self._dirty = False
            if fd is None:
                continue
            try:
                os.fdatasync(fd)
            except OSError as error:
                log.error("cannot sync a capture file: %s", error)
            finally:
                os.close(fd)

    def _cut(self, fd: int, end: int) -> None:
        """Drops a partly written line, then closes: the next record reopens the file afresh."""
        try:
            os.ftruncate(fd, end)
        except OSError as error:
            log.error("cannot cut a partly written capture line at byte %d: %s", end, error)
        self._close()

    def close(self) -> None:
        with self._lock:
            self._close()

    def _close(self) -> None:
        if self._fd is not None:
            fd, self._fd, self._hour, self._dirty = self._fd, None, None, False
            try:
                os.fdatasync(fd)
            except OSError as error:
                log.error("cannot sync a capture file at close: %s", error)
            os.close(fd)


class S3Sink:
    """Puts one object per record, encrypted with `kms_key_id` (SSE-KMS) when one is given."""

    def __init__(self, bucket: str, prefix: str, client=None, kms_key_id: str = "") -> None:
        self.bucket = bucket
        self.prefix = prefix
        self._client = client
        self._encryption = {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": kms_key_id} if kms_key_id else {}

    def write(self, hour_key: str, file_name: str, line: str) -> None:
        if self._client is None:
            import boto3  # only s3:// capture needs it, and SageMaker's containers ship it

            self._client = boto3.client("s3")
        key = "/".join(part for part in (self.prefix, hour_key, file_name) if part)
        self._client.put_object(Bucket=self.bucket, Key=key, Body=(line + "\n").encode("utf-8"), **self._encryption)

    def close(self) -> None:
        """Nothing is buffered."""


def sink_for(destination: str, kms_key_id: str = "") -> FileSink | S3Sink | firehose.FirehoseSink:
    parts = urlsplit(destination)
    if parts.scheme == "s3" and parts.netloc:
        return S3Sink(parts.netloc, parts.path.strip("/"), kms_key_id=kms_key_id)
    if parts.scheme == "file" and parts.netloc in ("", "localhost") and parts.path.startswith("/"):
        return FileSink(unquote(parts.path))
    if parts.scheme == firehose.SCHEME and parts.netloc and parts.path in ("", "/"):  # capture.firehose
        return firehose.FirehoseSink(parts.netloc)
    raise ValueError(f"{ENV_DESTINATION} must be s3://bucket/prefix, file:///absolute/dir or firehose://stream, "
                     f"got {destination!r}")


def record(
    request: bytes | str,
    request_type: str | None,
    response: bytes | str,
    response_type: str | None,
    *,
    modes: tuple[str, ...],
    event_id: str,
    when: datetime,
    inference_id: str | None = None,
) -> dict:
    """One capture record as SageMaker writes it."""
    data: dict = {}
    if "input" in modes:
        data["endpointInput"] = _payload(request, request_type, "INPUT")
    if "output" in modes:
        data["endpointOutput"] = _payload(response, response_type, "OUTPUT")
    metadata = {"eventId": event_id, "inferenceTime": when.strftime("%Y-%m-%dT%H:%M:%SZ")}
    if inference_id:
        metadata["inferenceId"] = inference_id
    return {"captureData": data, "eventMetadata": metadata, "eventVersion": "0"}


def _payload(body: bytes | str, content_type: str | None, mode: str) -> dict:
    encoding = _TEXT_ENCODINGS.get((content_type or "").split(";", 1)[0].strip().lower())
    raw = body.encode("utf-8") if isinstance(body, str) else bytes(body)
    text = body if isinstance(body, str) else None
    if encoding and text is None:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            encoding = None
    if not encoding:
        encoding, text = "BASE64", base64.b64encode(raw).decode("ascii")
    return {"observedContentType": content_type or "", "mode": mode, "data": text, "encoding": encoding}


class Capturer:
    """Samples requests and writes their capture records; never raises."""

    config: CaptureConfig

    def __init__(
        self,
        config: CaptureConfig,
        sink: FileSink | S3Sink | firehose.FirehoseSink | None = None,
        *,
        sample: Callable[[], float] = random.random,
        clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
    ) -> None:
        self.config = config
        self.sink = sink or sink_for(config.destination, config.kms_key_id)
        self._sample = sample
        self._clock = clock
        self._lock = threading.Lock()
        self.captured = 0
        self.failures = 0
        self._metrics: Any = None  # the CloudWatch client, made on the first failure to publish

    def capture(
        self,
        request: bytes | str,
        request_type: str | None,
        response: bytes | str,
        response_type: str | None,
        inference_id: str | None = None,
    ) -> bool:
        """Whether the record was written (or sampling skipped it); False counts a failure."""
        if self._sample() * 100 >= self.config.sampling_percent:
            return True
        try:
            when = self._clock()
            line = json.dumps(
                record(request, request_type, response, response_type, modes=self.config.modes,
                       event_id=str(uuid.uuid4()), when=when, inference_id=inference_id),
                separators=(",", ":"),
            )
            hour_key = f"{self.config.endpoint}/{self.config.variant}/{when:%Y/%m/%d/%H}"
            file_name = f"{when:%M-%S}-{when.microsecond // 1000:03d}-{uuid.uuid4()}.jsonl"
            self.sink.write(hour_key, file_name, line)
        except Exception as error:
            with self._lock:
                self.failures += 1
                failures = self.failures
            log.warning("data capture failed (%d failure(s) so far): %s: %s", failures, type(error).__name__, error)
            self._publish_failure()
            return False
        with self._lock:
            self.captured += 1
        return True

    def _publish_failure(self) -> None:
        """One CaptureFailures datapoint to CloudWatch, when configured; best effort, never raises."""
        namespace = self.config.metrics_namespace
        if not namespace:
            return
        try:
            if self._metrics is None:
                import boto3  # SageMaker's containers ship it

                # Short timeouts, one attempt: this runs in the request that failed to capture.
                config = boto3.session.Config(  # botocore's Config, as boto3 imports it
                    connect_timeout=2, read_timeout=2, retries={"max_attempts": 1})
                self._metrics = boto3.client("cloudwatch", config=config)
            dimensions = [{"Name": "EndpointName", "Value": self.config.endpoint},
                          {"Name": "VariantName", "Value": self.config.variant}]
            self._metrics.put_metric_data(Namespace=namespace, MetricData=[
                {"MetricName": FAILURE_METRIC, "Dimensions": dimensions, "Value": 1.0, "Unit": "Count"}])
        except Exception as error:
            log.error("cannot publish %s to CloudWatch: %s: %s", FAILURE_METRIC, type(error).__name__, error)

    def close(self) -> None:
        self.sink.close()


def from_environment(environ: Mapping[str, str] | None = None) -> Capturer | None:
    """A Capturer as the environment configures it; None when capture is off or misconfigured."""
    try:
        config = config_from_environment(os.environ if environ is None else environ)
    except ValueError as error:
        log.error("data capture disabled: %s", error)
        return None
    if config is None:
        return None
    log.info("data capture on: %s%% of requests to %s", config.sampling_percent, config.destination)
    return Capturer(config)
