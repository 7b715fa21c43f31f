"""Sending requests to an endpoint URL: one keep-alive connection per worker thread.

Used by `fraudspec invoke`/`traffic` on the local target and by the reliability tests. A
request is "acknowledged" only when its 2xx response was fully read.
"""

from __future__ import annotations

import http.client
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Sequence
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Request:
    body: bytes
    content_type: str = "application/json"
    accept: str = "application/json"
    inference_id: str | None = None


@dataclass
class SendResult:
    acknowledged: int = 0
    statuses: dict[int, int] = field(default_factory=dict)  # HTTP status (0: no response) -> count
    latencies_ms: list[float] = field(default_factory=list)
    first_error: str = ""
    seconds: float = 0.0

    @property
    def sent(self) -> int:
        return sum(self.statuses.values())


def invoke(url: str, request: Request, timeout: float = 60) -> tuple[int, bytes, str]:
    """One request: (status, body, content type)."""
    connection = _connect(url, timeout)
    try:
        return _exchange(connection, request)
    finally:
        connection.close()


def send_all(url: str, requests: Sequence[Request], concurrency: int = 4, rate: float | None = None,
             progress: Callable[[int], None] | None = None, timeout: float = 60) -> SendResult:
    """Sends every request with `concurrency` workers, at most `rate` requests per second overall."""
    result = SendResult()
    lock = threading.Lock()
    cursor = iter(range(len(requests)))
    start = time.perf_counter()

    def next_index() -> int | None:
        with lock:
            index = next(cursor, None)
        if index is not None and rate:
            delay = start + index / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
        return index

    def worker() -> None:
        connection = _connect(url, timeout)
        while (index := next_index()) is not None:
            began = time.perf_counter()
            try:
                status, _, _ = _exchange(connection, requests[index])
                error = "" if 200 <= status < 300 else f"HTTP {status}"
            except (OSError, http.client.HTTPException) as exc:
                connection.close()
                connection = _connect(url, timeout)
                status, error = 0, f"{type(exc).__name__}: {exc}"
            elapsed_ms = (time.perf_counter() - began) * 1000
            with lock:
                result.statuses[status] = result.statuses.get(status, 0) + 1
                if not error:
                    result.acknowledged += 1
                    result.latencies_ms.append(elapsed_ms)
                elif not result.first_error:
                    result.first_error = error
            if progress:
                progress(1)
        connection.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(max(1, min(concurrency, len(requests))))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - start
    return result


def _connect(url: str, timeout: float) -> http.client.HTTPConnection:
    parts = urlsplit(url)
    return http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout)


def _exchange(connection: http.client.HTTPConnection, request: Request) -> tuple[int, bytes, str]:
    headers = {"Content-Type": request.content_type, "Accept": request.accept}
    if request.inference_id:
        headers["X-Amzn-SageMaker-Inference-Id"] = request.inference_id
    connection.request("POST", "/invocations", body=request.body, headers=headers)
    response = connection.getresponse()
    body = response.read()
    return response.status, body, response.getheader("Content-Type", "")


def percentile(values: Sequence[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]
