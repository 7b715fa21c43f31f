"""SageMaker's container contract over HTTP: `GET /ping`, `POST /invocations`.

A raw ASGI application served by uvicorn (httptools parser, uvloop when available). Requests
are answered in the event loop: prediction is CPU-bound and takes well under a millisecond, so
threads would only add switching. Bodies are bounded at 6 MB like SageMaker's; errors are JSON
`{"error": ...}`, never a traceback.
"""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Awaitable, Callable
from typing import Any

from fraudspec.core.errors import FraudspecError
from fraudspec.runtime.endpoint import Endpoint, Response

MAX_BODY_BYTES = 6 * 1024 * 1024
INFERENCE_ID_HEADER = b"x-amzn-sagemaker-inference-id"
log = logging.getLogger("fraudspec.http")

Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]


class InvocationsApp:
    def __init__(self, endpoint: Endpoint, variant: str = "AllTraffic", max_body: int = MAX_BODY_BYTES) -> None:
        self.endpoint = endpoint
        self.variant = variant.encode()
        self.max_body = max_body

    async def __call__(self, scope: dict, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        path, method = scope["path"], scope["method"]
        if path == "/ping":
            response = Response(200, b"", "text/plain") if method in ("GET", "HEAD") else _error(405, "use GET /ping")
        elif path == "/invocations":
            response = (
                await self._invocation(scope, receive) if method == "POST" else _error(405, "use POST /invocations")
            )
        else:
            response = _error(404, f"no route {path}: the endpoint serves GET /ping and POST /invocations")
        await _send(send, response, self.variant)

    async def _invocation(self, scope: dict, receive: Receive) -> Response:
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body:
            return _error(413, f"request body of {int(declared)} bytes exceeds the 6 MB limit")
        chunks, size = [], 0
        while True:
            message = await receive()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return _error(413, "request body exceeds the 6 MB limit")
            chunks.append(chunk)
            if not message.get("more_body"):
                break
        inference_id = headers.get(INFERENCE_ID_HEADER)
        return self.endpoint.invoke(
            b"".join(chunks),
            _text(headers.get(b"content-type")),
            _text(headers.get(b"accept")),
            _text(inference_id),
        )


def _text(value: bytes | None) -> str | None:
    return value.decode("latin-1") if value is not None else None


def _error(status: int, message: str) -> Response:
    return Response(status, json.dumps({"error": message}).encode(), "application/json")


async def _send(send: Send, response: Response, variant: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": response.status,
            "headers": [
                (b"content-type", response.content_type.encode()),
                (b"content-length", str(len(response.body)).encode()),
                (b"x-amzn-invoked-production-variant", variant),
            ],
        }
    )
    await send({"type": "http.response.body", "body": response.body})


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def bind(port: int, host: str = "127.0.0.1") -> socket.socket:
    """The listening socket, bound before anything starts so a busy port is a clear error."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise FraudspecError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}",
            hint=f"stop whatever uses port {port} (`ss -ltnp | grep :{port}`), "
            "or set environments.local.port in the spec",
        ) from None
    sock.listen(2048)
    return sock


def make_server(app: InvocationsApp) -> Any:
    """A uvicorn server for `app`; `run(sockets=[sock])` serves until SIGTERM/SIGINT (in the main
    thread) or `should_exit = True`, letting in-flight requests finish."""
    import uvicorn

    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=10,
        server_header=False,
        date_header=False,
    )
    return uvicorn.Server(config)
