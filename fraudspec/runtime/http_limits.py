"""The local endpoint's HTTP limits, as SageMaker's front end and the serving container keep them.

uvicorn's httptools protocol bounds neither the request head nor the time a client takes to send
it; this subclass does both, before the application sees the request:
- the request line plus headers may take at most `max_head_bytes` (the container's nginx allows
  4 buffers of 8 KB): more is answered 431 and the connection closed;
- a request head must arrive within `read_timeout` seconds of its first byte (or of the
  connection): a half-sent one is answered 408 and closed. The application times the body
  itself (http.InvocationsApp), so no request holds a connection for longer.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


@dataclass(frozen=True)
class Limits:
    max_body: int = 6 * 1024 * 1024  # InvokeEndpoint's request payload limit
    drain_bytes: int = 64 * 1024 * 1024  # read and discard an oversized body up to this, so clients see the 413
    max_head_bytes: int = 32 * 1024
    read_timeout: float = 60.0  # SageMaker gives a request 60 s
    offload_bytes: int = 64 * 1024  # bodies from this size are predicted off the event loop


def protocol_for(limits: Limits) -> type[HttpToolsProtocol]:
    """The httptools protocol class enforcing `limits` on request heads."""

    class LimitedProtocol(HttpToolsProtocol):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._head_bytes = 0
            self._head_timer: asyncio.TimerHandle | None = None
            self._refused = False

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            if not self._refused:
                super().data_received(data)

        def send_400_response(self, msg: str) -> None:
            if not self._refused:  # a refusal already answered and closed the connection
                super().send_400_response(msg)

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._head_bytes = 0
            self._arm()

        def on_url(self, url: bytes) -> None:
            self._count(len(url))
            super().on_url(url)

        def on_header(self, name: bytes, value: bytes) -> None:
            self._count(len(name) + len(value) + 4)  # ": " and CRLF
            super().on_header(name, value)

        def on_headers_complete(self) -> None:
            self._disarm()
            super().on_headers_complete()

        def _count(self, size: int) -> None:
            self._head_bytes += size
            if self._head_bytes > limits.max_head_bytes:
                self._refuse(431, f"request headers exceed {limits.max_head_bytes} bytes")
                raise ValueError("request head too large")  # stops the parser; httptools reports it as an error

        def _arm(self) -> None:
            self._disarm()
            self._head_timer = self.loop.call_later(limits.read_timeout, self._timed_out)

        def _disarm(self) -> None:
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None

        def _timed_out(self) -> None:
            self._head_timer = None
            if self.cycle is None or self.cycle.response_complete:  # not inside a request being answered
                self._refuse(408, f"the request was not received within {limits.read_timeout:g} s")

        def _refuse(self, status: int, message: str) -> None:
            self._refused = True
            self._disarm()
            if self.transport is None or self.transport.is_closing():
                return
            body = json.dumps({"error": message}).encode()
            head = (f"HTTP/1.1 {status} {'Request Timeout' if status == 408 else 'Request Header Fields Too Large'}"
                    f"\r\ncontent-type: application/json\r\ncontent-length: {len(body)}\r\nconnection: close\r\n\r\n")
            self.transport.write(head.encode("ascii") + body)
            self.transport.close()

    return LimitedProtocol
