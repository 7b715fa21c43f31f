"""Copies of requests for the shadow variant, predicted off the caller's path.

SageMaker mirrors a share of a production variant's requests to its shadow variant and returns
only the production variant's answer. Here the copy is queued after the caller's response is
computed and predicted by a thread of its own, so the caller never waits for the shadow, never
sees its answer, and never sees it fail. A shadow that cannot keep up loses copies (counted and
logged) instead of holding an unbounded queue of request bodies in memory.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fraudspec.runtime.endpoint_metrics import EndpointMetrics

SHADOW_BACKLOG = 1000  # copies waiting for the shadow variant; more are dropped
log = logging.getLogger("fraudspec.shadow")


class ShadowMirror:
    """`copy` queues one request for a shadow variant of `variants` (runtime.variants.Variants, or a
    wrapper of it); its outcome is counted in that variant's `metrics`."""

    def __init__(self, variants: Any, metrics: Mapping[str, EndpointMetrics], backlog: int = SHADOW_BACKLOG) -> None:
        self._variants = variants
        self._metrics = metrics
        self._backlog = backlog
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="shadow")
        self._lock = threading.Lock()
        self._pending = 0
        self.dropped = 0  # copies the shadow never got: its backlog was full

    def copy(self, variant: str, call: tuple[Any, ...]) -> None:
        """Queues `variants.invoke(variant, *call)`; never blocks and never raises."""
        with self._lock:
            full = self._pending >= self._backlog
            if full:
                self.dropped += 1
                dropped = self.dropped
            else:
                self._pending += 1
        if full:
            if dropped == 1 or dropped % 1000 == 0:
                log.warning("shadow variant %s is behind: %d request copies dropped so far", variant, dropped)
            return
        try:
            self._pool.submit(self._invoke, variant, call)
        except RuntimeError:  # the runtime is shutting down: the copy is lost, nobody waits for it
            self._done()

    def _invoke(self, variant: str, call: tuple[Any, ...]) -> None:
        began = time.perf_counter()
        try:
            try:
                response = self._variants.invoke(variant, *call)
                status, model_seconds = response.status, response.model_seconds
            except Exception:
                log.exception("shadow variant %s failed on a request copy", variant)
                status, model_seconds = 500, time.perf_counter() - began
            self._metrics[variant].observe(status, time.perf_counter() - began, model_seconds)
        finally:
            self._done()

    def _done(self) -> None:
        with self._lock:
            self._pending -= 1

    def wait(self, timeout: float = 10.0) -> bool:
        """Whether every queued copy was predicted within `timeout` s."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if self._pending == 0:
                    return True
            time.sleep(0.005)
        return False

    def close(self) -> None:
        """Predicts what is queued, then stops."""
        self._pool.shutdown(wait=True)
