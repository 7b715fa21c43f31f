"""The local endpoint over HTTP: SageMaker's container contract and the SageMaker Runtime API.

- Container contract: `GET /ping`, `POST /invocations` (what SageMaker's front end sends the
  serving container): errors are the handler's JSON `{"error": ...}` with its status.
- Runtime API: `POST /endpoints/{name}/invocations`, what boto3's `sagemaker-runtime`
  InvokeEndpoint sends (point `endpoint_url` or AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME here). Headers
  as the service takes and returns them; errors as the service shapes them (rest-json, the type
  in `x-amzn-ErrorType`): ValidationError 400 for an unknown endpoint or variant, an invalid
  InferenceId or an oversized body, ModelError 424 carrying the container's status and message.

Both routes serve every variant of the endpoint (runtime.variants): a request goes to the
production variant its TargetVariant header names, else to one drawn by weight, and its response
names it in `X-Amzn-Invoked-Production-Variant`. A copy for the shadow variant is predicted in a
thread of its own after the caller's response is computed: the caller never waits for it, never
sees its answer or its failure, and a shadow that cannot keep up loses copies (counted, logged)
rather than holding requests in memory.

A raw ASGI application served by uvicorn (httptools parser, uvloop when available). Small
requests are answered in the event loop (prediction takes well under a millisecond, so threads
would only add switching); bodies from `Limits.offload_bytes` are predicted in a worker thread,
so a CPU-heavy batch never keeps `/ping` or other clients waiting. Every invocation is measured
for the endpoint's CloudWatch metrics (runtime.endpoint_metrics).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import socket
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

from fraudspec.core.errors import FraudspecError
from fraudspec.runtime.endpoint import Endpoint, Response
from fraudspec.runtime.endpoint_metrics import EndpointMetrics, Period, record_challenger_period
from fraudspec.runtime.http_limits import Limits, protocol_for
from fraudspec.runtime.shadow import SHADOW_BACKLOG, ShadowMirror
from fraudspec.runtime.variants import TargetError, Variants
from fraudspec.spec.model import Spec, Variant

MAX_BODY_BYTES = Limits.max_body
OVER_LIMIT = f"over the {MAX_BODY_BYTES}-byte (6 MB) limit"  # worded as the handler words it (payload.parse)
INFERENCE_ID_HEADER = b"x-amzn-sagemaker-inference-id"
CUSTOM_ATTRIBUTES_HEADER = b"x-amzn-sagemaker-custom-attributes"
TARGET_VARIANT_HEADER = b"x-amzn-sagemaker-target-variant"
RUNTIME_PATH = re.compile(r"^/endpoints/(?P<name>[^/]+)/invocations$")
# InvokeEndpoint's InferenceId: 1 to 64 characters, a non-space first, printable after.
INFERENCE_ID = re.compile(r"\A\S[\x20-\x7e]{0,63}\Z")
ACCOUNT = "000000000000"  # the local runtime's account, in messages shaped like the service's
log = logging.getLogger("fraudspec.http")

Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]


class InvocationsApp:
    """`endpoint`: one model served as the single variant `variant`, or the endpoint's `Variants`.
    `on_period` gets each variant's period (champion first) at the end of every metrics period."""

    def __init__(self, endpoint: Endpoint | Variants, variant: str = "AllTraffic", max_body: int = MAX_BODY_BYTES, *,
                 endpoint_name: str = "", limits: Limits | None = None, metrics: EndpointMetrics | None = None,
                 period_seconds: float = 60.0, on_period: Callable[[Period], None] | None = None,
                 shadow_backlog: int = SHADOW_BACKLOG) -> None:
        # Anything but an Endpoint is the variants (or a wrapper of them, as runtime.idle's Activity).
        self.variants = Variants.single(endpoint, variant, endpoint_name) if isinstance(endpoint, Endpoint) \
            else endpoint
        self.variant = self.variants.champion.name
        self.endpoint_name = endpoint_name
        self.limits = limits or Limits(max_body=max_body)
        self.metrics = metrics or EndpointMetrics(variant=self.variant)  # the champion's: its alarms' datapoints
        self.variant_metrics = {name: self.metrics if name == self.variant else EndpointMetrics(variant=name)
                                for name in self.variants.names}
        self.period_seconds = period_seconds
        self.on_period = on_period
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="invoke")
        self.shadow = ShadowMirror(self.variants, self.variant_metrics, shadow_backlog)
        self._capture_failures_seen = dict.fromkeys(self.variants.names, 0)

    async def __call__(self, scope: dict, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        path, method = scope["path"], scope["method"]
        runtime_api = RUNTIME_PATH.match(path)
        if path == "/ping":
            response = Response(200, b"", "text/plain") if method in ("GET", "HEAD") else _error(405, "use GET /ping")
        elif method != "POST" and (runtime_api or path == "/invocations"):
            response = _error(405, f"use POST {path}")
        elif path == "/invocations":
            response = await self._invocation(scope, receive)
        elif runtime_api:
            response = await self._runtime_api(runtime_api["name"], scope, receive)
        else:
            response = _error(404, f"no route {path}: the endpoint serves GET /ping, POST /invocations and "
                                   "POST /endpoints/{name}/invocations")
        await _send(send, response, self.variant)

    async def _invocation(self, scope: dict, receive: Receive) -> Response:
        """The container contract: the handler's answer as it is (a TargetVariant no production variant
        has is refused as the service refuses it: the service routes, not the container)."""
        began = time.perf_counter()
        headers = dict(scope["headers"])
        try:
            variant = self.variants.route(_text(headers.get(TARGET_VARIANT_HEADER)))
        except TargetError as error:
            await _discard(receive, self.limits.drain_bytes)
            return _service_error(400, "ValidationError", str(error))
        body = await self._body(headers, receive)
        if isinstance(body, Response):
            response = body
        else:
            response = await self._invoke(variant, body, headers, _text(headers.get(INFERENCE_ID_HEADER)))
        self.variant_metrics[variant.name].observe(response.status, time.perf_counter() - began,
                                                   response.model_seconds)
        return _invoked(response, variant)

    async def _runtime_api(self, name: str, scope: dict, receive: Receive) -> Response:
        """InvokeEndpoint: the service's checks, then the container, then the service's answer."""
        began = time.perf_counter()
        headers = dict(scope["headers"])
        if name != self.endpoint_name:
            await _discard(receive, self.limits.drain_bytes)
            return _service_error(400, "ValidationError", f"Endpoint {name} of account {ACCOUNT} not found.")
        try:
            variant = self.variants.route(_text(headers.get(TARGET_VARIANT_HEADER)))
        except TargetError as error:
            await _discard(receive, self.limits.drain_bytes)
            return _service_error(400, "ValidationError", str(error))
        inference_id = _text(headers.get(INFERENCE_ID_HEADER))
        if inference_id is not None and not INFERENCE_ID.match(inference_id):
            await _discard(receive, self.limits.drain_bytes)
            return _service_error(400, "ValidationError", "1 validation error detected: Value at 'inferenceId' "
                                  "failed to satisfy constraint: Member must have length less than or equal to 64 "
                                  "and match pattern \\A\\S[\\p{Print}]*\\z")
        body = await self._body(headers, receive)
        if isinstance(body, Response):
            return _service_error(400, "ValidationError", f"Request has oversize body: {_message(body)}")
        response = await self._invoke(variant, body, headers, inference_id)
        self.variant_metrics[variant.name].observe(response.status, time.perf_counter() - began,
                                                   response.model_seconds)
        if 200 <= response.status < 300:
            return _invoked(response, variant)
        kind = "client" if response.status < 500 else "server"
        message = _message(response)
        return _service_error(424, "ModelError", f'Received {kind} error ({response.status}) from primary with '
                              f'message "{message}". See the local runtime log for more information.',
                              OriginalStatusCode=response.status, OriginalMessage=message,
                              LogStreamArn=f"local:{self.endpoint_name}/{variant.name}")

    async def _invoke(self, variant: Variant, body: bytes, headers: dict[bytes, bytes],
                      inference_id: str | None) -> Response:
        call = (variant.name, body, _text(headers.get(b"content-type")), _text(headers.get(b"accept")), inference_id,
                _text(headers.get(CUSTOM_ATTRIBUTES_HEADER)))
        if len(body) < self.limits.offload_bytes:
            response = self.variants.invoke(*call)
        else:
            response = await asyncio.get_running_loop().run_in_executor(self._pool, self.variants.invoke, *call)
        shadow = self.variants.shadow_copy(variant)
        if shadow is not None:
            # The copy carries the id the production variant captured, so labels join either capture.
            self.shadow.copy(shadow.name, (*call[1:4], response.inference_id or inference_id, call[5]))
        return response

    async def _body(self, headers: dict[bytes, bytes], receive: Receive) -> bytes | Response:
        """The request body, or the 413 for one over the limit (read and discarded up to
        `drain_bytes`, so a client that sends it all before reading gets the answer), or 408."""
        declared = headers.get(b"content-length")
        limit = self.limits.max_body
        if declared is not None and declared.isdigit() and int(declared) > limit:
            drained = await self._discard_timed(receive)
            return _too_large(f"payload is {int(declared)} bytes, {OVER_LIMIT}", drained)
        chunks, size = [], 0
        while True:
            try:
                message = await asyncio.wait_for(receive(), self.limits.read_timeout)
            except asyncio.TimeoutError:
                return _error(408, f"the request body was not received within {self.limits.read_timeout:g} s",
                              close=True)
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                drained = await self._discard_timed(receive) if message.get("more_body") else True
                return _too_large(f"payload is more than {limit} bytes, {OVER_LIMIT}", drained)
            chunks.append(chunk)
            if not message.get("more_body"):
                return b"".join(chunks)

    async def _discard_timed(self, receive: Receive) -> bool:
        try:
            return await asyncio.wait_for(_discard(receive, self.limits.drain_bytes), self.limits.read_timeout)
        except asyncio.TimeoutError:
            return False

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        ticker = None
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                if self.on_period is not None:
                    ticker = asyncio.create_task(self._tick())
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if ticker is not None:
                    ticker.cancel()
                self._pool.shutdown(wait=True)
                self.shadow.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _tick(self) -> None:
        """Closes a metrics period every `period_seconds` and hands it to `on_period` (in a thread: it writes files)."""
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(self.period_seconds - loop.time() % self.period_seconds)
            for name, metrics in self.variant_metrics.items():
                failures = self.variants.capture_failures_of(name)
                metrics.capture_failed(failures - self._capture_failures_seen[name])
                self._capture_failures_seen[name] = failures
                period = metrics.close_period()
                try:
                    await loop.run_in_executor(None, self.on_period, period)  # type: ignore[arg-type]
                except Exception:
                    log.exception("recording variant %s's endpoint metrics failed; the next period tries again",
                                  name)


async def _discard(receive: Receive, bound: int) -> bool:
    """Reads the rest of a request body without keeping it; False when it goes past `bound`."""
    seen = 0
    while True:
        message = await receive()
        seen += len(message.get("body", b""))
        if seen > bound:
            return False
        if not message.get("more_body") or message.get("type") == "http.disconnect":
            return True


INVOKED_VARIANT = "x-amzn-invoked-production-variant"


def _invoked(response: Response, variant: Variant) -> Response:
    """The response naming the production variant that answered it (InvokeEndpoint's InvokedProductionVariant)."""
    return replace(response, headers={**response.headers, INVOKED_VARIANT: variant.name})


def _too_large(message: str, drained: bool) -> Response:
    return _error(413, message, close=not drained)


def _text(value: bytes | None) -> str | None:
    return value.decode("latin-1") if value is not None else None


def _message(response: Response) -> str:
    """The container's error message: its JSON `error`, else the body as text."""
    text = response.body.decode("utf-8", errors="replace")
    try:
        document = json.loads(text)
    except ValueError:
        return text
    return str(document["error"]) if isinstance(document, dict) and "error" in document else text


def _error(status: int, message: str, close: bool = False) -> Response:
    headers = {"connection": "close"} if close else {}
    return Response(status, json.dumps({"error": message}).encode(), "application/json", headers)


def _service_error(status: int, error_type: str, message: str, **fields: Any) -> Response:
    body = json.dumps({"message": message, **fields}).encode()
    return Response(status, body, "application/json", {"x-amzn-ErrorType": error_type})


async def _send(send: Send, response: Response, variant: str) -> None:
    extra = {name.lower(): value for name, value in response.headers.items()}
    extra.setdefault(INVOKED_VARIANT, variant)  # the variant that answered, else the champion
    headers = [
        (b"content-type", response.content_type.encode("latin-1")),
        (b"content-length", str(len(response.body)).encode()),
        *((name.encode("latin-1"), value.encode("latin-1")) for name, value in extra.items()),
    ]
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": response.body})


def app_for(spec: Spec, variants: Variants) -> InvocationsApp:
    """The endpoint as the local runtime serves it: under its name, measured per variant, and the
    champion's endpoint alarms evaluated at the end of every alarm period."""
    from fraudspec.runtime.monitoring import record_endpoint_period

    def on_period(period: Period) -> None:
        now = datetime.now(timezone.utc)
        if period.variant != spec.endpoint.variant:
            record_challenger_period(spec.for_variant(period.variant), period, now)
            return
        for change in record_endpoint_period(spec, period.values(), now):
            log.log(logging.WARNING if change.new == "ALARM" else logging.INFO, "alarm %s: %s -> %s (%s)",
                    change.alarm, change.old, change.new, change.reason)
        if period.capture_failures:
            log.warning("%d capture record(s) could not be written in the last period", period.capture_failures)

    return InvocationsApp(variants, spec.endpoint.variant, endpoint_name=spec.names.endpoint,
                          period_seconds=spec.alarms.period_seconds, on_period=on_period)


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
        http=protocol_for(app.limits),
        log_level="warning",
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=10,
        server_header=False,
        date_header=False,
    )
    return uvicorn.Server(config)
