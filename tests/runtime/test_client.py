"""The request sender: concurrency, rate limiting, and counting only acknowledged responses."""

from __future__ import annotations

import json
from pathlib import Path

from fraudspec.client.http import Request, http_caller, invoke, percentile, send_all
from fraudspec.runtime.endpoint import Endpoint


def test_send_all_counts_statuses_and_acknowledgements(toy_model: Path, tmp_path: Path, serve_endpoint) -> None:
    url = serve_endpoint(Endpoint.load(toy_model, tmp_path / "model", {}))
    requests = [Request(json.dumps({"x": i}).encode()) for i in range(50)] + [Request(b'{"x": "bad"}')] * 5
    result = send_all(lambda: http_caller(url), requests, concurrency=4)
    assert result.sent == 55 and result.acknowledged == 50
    assert result.statuses == {200: 50, 400: 5} and result.first_error == "HTTP 400"
    assert len(result.latencies_ms) == 50 and percentile(result.latencies_ms, 0.5) > 0


def test_rate_limit_spreads_requests(toy_model: Path, tmp_path: Path, serve_endpoint) -> None:
    url = serve_endpoint(Endpoint.load(toy_model, tmp_path / "model", {}))
    result = send_all(lambda: http_caller(url), [Request(b'{"x": 1}')] * 11, concurrency=2, rate=50)
    assert result.acknowledged == 11 and result.seconds >= 0.19, "11 requests at 50/s take at least 0.2 s"


def test_invoke_returns_body(toy_model: Path, tmp_path: Path, serve_endpoint) -> None:
    url = serve_endpoint(Endpoint.load(toy_model, tmp_path / "model", {}))
    status, body, content_type, captured, variant = invoke(url, Request(b'{"x": 4}'))
    assert (status, json.loads(body), content_type) == (200, {"y": 8}, "application/json")
    assert captured is None  # the toy handler returns no CustomAttributes
    assert variant == "AllTraffic"  # the production variant that answered


def test_unreachable_endpoint_counts_as_unacknowledged() -> None:
    result = send_all(lambda: http_caller("http://127.0.0.1:9", timeout=1), [Request(b"{}")] * 3, concurrency=1)
    assert result.acknowledged == 0 and result.statuses == {0: 3} and "ConnectionRefusedError" in result.first_error


def test_percentile() -> None:
    assert percentile([5, 1, 3, 2, 4], 0.5) == 3 and percentile([], 0.99) == 0.0 and percentile(range(101), 0.99) == 99
