"""Sending requests to an endpoint URL: one keep-alive connection per worker thread.

Used by `fraudspec invoke`/`traffic` on the local target and by the reliability tests. A
request is "acknowledged" only when its 2xx response was fully read.

The id contract (code/inference.py): a request's inference id travels as CustomAttributes
`inference-id=<id>` (what SageMaker forwards to the container) and as InferenceId (what SageMaker's
own capture records); the response's CustomAttributes carry the id that was captured, which is
the one to key ground truth by.

Variants: a request's `target_variant` travels as X-Amzn-SageMaker-Target-Variant (InvokeEndpoint's
TargetVariant); the production variant that answered comes back in X-Amzn-Invoked-Production-Variant
(InvokedProductionVariant) on both targets, and `SendResult.variants` counts the answers per variant.
"""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Request:
    body: bytes
    content_type: str = "application/json"
    accept: str = "application/json"
    inference_id: str | None = None
    target_variant: str | None = None  # the production variant to answer it; None: drawn by weight


@dataclass
class SendResult:
    acknowledged: int = 0
    statuses: dict[int, int] = field(default_factory=dict)  # HTTP status (0: no response) -> count
    inference_ids: dict[int, str] = field(default_factory=dict)  # request index -> the id its response captured
    latencies_ms: list[float] = field(default_factory=list)
    variants: dict[str, int] = field(default_factory=dict)  # production variant -> acknowledged answers
    first_error: str = ""
    seconds: float = 0.0

    @property
    def sent(self) -> int:
        return sum(self.statuses.values())


class Answer(NamedTuple):
    status: int  # 0: no response
    body: bytes
    content_type: str
    inference_id: str | None = None  # the id the response says was captured
    variant: str | None = None  # the production variant that answered


Call = Callable[[Request], Answer]
CUSTOM_ATTRIBUTES = "X-Amzn-SageMaker-Custom-Attributes"
INFERENCE_ID = "X-Amzn-SageMaker-Inference-Id"
TARGET_VARIANT = "X-Amzn-SageMaker-Target-Variant"
INVOKED_VARIANT = "X-Amzn-Invoked-Production-Variant"


def custom_attributes(inference_id: str) -> str:
    return f"inference-id={inference_id}"


def captured_id(attributes: str | None) -> str | None:
    """The inference id a response's CustomAttributes name, if any."""
    for part in (attributes or "").replace(",", ";").split(";"):
        name, sep, value = part.partition("=")
        if sep and name.strip().lower() == "inference-id":
            return value.strip()
    return None


def invoke(url: str, request: Request, timeout: float = 60) -> Answer:
    """One request: (status, body, content type)."""
    connection = _connect(url, timeout)
    try:
        return _exchange(connection, request)
    finally:
        connection.close()


def http_caller(url: str, timeout: float = 60) -> Call:
    """A caller holding one keep-alive connection; a broken connection is reopened for the next call."""
    connection = [_connect(url, timeout)]

    def call(request: Request) -> Answer:
        try:
            return _exchange(connection[0], request)
        except (OSError, http.client.HTTPException) as exc:
            connection[0].close()
            connection[0] = _connect(url, timeout)
            return Answer(0, f"{type(exc).__name__}: {exc}".encode(), "")

    return call


def send_all(make_call: Callable[[], Call], requests: Sequence[Request], concurrency: int = 4,
             rate: float | None = None, progress: Callable[[int], None] | None = None) -> SendResult:
    """Sends every request with `concurrency` workers (each with its own caller from `make_call`),
    at most `rate` requests per second overall."""
    result = SendResult()
    lock = threading.Lock()
    cursor = iter(range(len(requests)))
    start = time.perf_counter()

    def worker() -> None:
        call = make_call()
        while True:
            with lock:
                index = next(cursor, None)
            if index is None:
                return
            if rate and (delay := start + index / rate - time.perf_counter()) > 0:
                time.sleep(delay)
            began = time.perf_counter()
            status, body, _, captured, variant = call(requests[index])
            elapsed_ms = (time.perf_counter() - began) * 1000
            with lock:
                result.statuses[status] = result.statuses.get(status, 0) + 1
                if 200 <= status < 300:
                    result.acknowledged += 1
                    result.latencies_ms.append(elapsed_ms)
                    if captured:
                        result.inference_ids[index] = captured
                    if variant:
                        result.variants[variant] = result.variants.get(variant, 0) + 1
                elif not result.first_error:
                    result.first_error = f"HTTP {status}" if status else body.decode(errors="replace")
            if progress:
                progress(1)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(max(1, min(concurrency, len(requests))))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - start
    return result


def _connect(url: str, timeout: float) -> http.client.HTTPConnection:
    parts = urlsplit(url)
    return http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=timeout)


def _exchange(connection: http.client.HTTPConnection, request: Request) -> Answer:
    headers = {"Content-Type": request.content_type, "Accept": request.accept}
    if request.inference_id:
        headers[CUSTOM_ATTRIBUTES] = custom_attributes(request.inference_id)
        headers[INFERENCE_ID] = request.inference_id
    if request.target_variant:
        headers[TARGET_VARIANT] = request.target_variant
    connection.request("POST", "/invocations", body=request.body, headers=headers)
    response = connection.getresponse()
    body = response.read()
    return Answer(response.status, body, response.getheader("Content-Type", ""),
                  captured_id(response.getheader(CUSTOM_ATTRIBUTES)), response.getheader(INVOKED_VARIANT))


def percentile(values: Sequence[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]
