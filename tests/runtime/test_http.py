"""The SageMaker container contract over real HTTP, with a real uvicorn server on loopback."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from fraudspec.core.errors import FraudspecError
from fraudspec.runtime.endpoint import Endpoint
from fraudspec.runtime.http import bind


def _call(url: str, path: str, body: bytes | None = None, method: str | None = None, headers: dict | None = None):
    request = urllib.request.Request(url + path, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


@pytest.fixture
def url(toy_model: Path, tmp_path: Path, serve_endpoint) -> str:
    return serve_endpoint(Endpoint.load(toy_model, tmp_path / "model", {}))


def test_ping_and_invocation(url: str) -> None:
    assert _call(url, "/ping")[0] == 200
    status, body, headers = _call(url, "/invocations", b'{"x": 21}', headers={"Content-Type": "application/json"})
    assert status == 200 and json.loads(body) == {"y": 42}
    assert headers["content-type"] == "application/json"
    assert headers["x-amzn-invoked-production-variant"] == "AllTraffic"


def test_payload_error_is_400_with_message(url: str) -> None:
    status, body, _ = _call(url, "/invocations", b'{"x": "bad"}', headers={"Content-Type": "application/json"})
    assert status == 400 and json.loads(body) == {"error": "x must be a number"}


def test_model_crash_is_500_without_traceback(url: str) -> None:
    status, body, _ = _call(url, "/invocations", b'{"x": "boom"}', headers={"Content-Type": "application/json"})
    assert status == 500 and b"internal detail" not in body and b"Traceback" not in body


def test_routes_and_methods(url: str) -> None:
    assert _call(url, "/nope")[0] == 404
    assert _call(url, "/invocations", method="GET")[0] == 405
    assert _call(url, "/ping", b"x", method="POST")[0] == 405


def test_body_over_limit_is_413(toy_model: Path, tmp_path: Path, serve_endpoint) -> None:
    url = serve_endpoint(Endpoint.load(toy_model, tmp_path / "model", {}), max_body=1000)
    status, body, _ = _call(url, "/invocations", b"x" * 1001, headers={"Content-Type": "application/json"})
    assert status == 413 and b"6 MB" in body


def test_inference_id_header_reaches_the_handler(toy_model: Path, tmp_path: Path, serve_endpoint) -> None:
    endpoint = Endpoint.load(toy_model, tmp_path / "model", {})
    url = serve_endpoint(endpoint)
    _call(url, "/invocations", b'{"x": 1}', headers={"Content-Type": "application/json",
                                                      "X-Amzn-SageMaker-Inference-Id": "req-7"})
    assert endpoint._handler.seen_ids[-1] == "req-7"


def test_port_in_use_is_a_clear_error() -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    port = taken.getsockname()[1]
    try:
        with pytest.raises(FraudspecError) as raised:
            bind(port)
        assert f"127.0.0.1:{port}" in str(raised.value.findings[0].message)
        assert "environments.local.port" in raised.value.hint
    finally:
        taken.close()


def test_unloadable_artifact_is_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "model.tar.gz"
    broken.write_bytes(b"not a tarball")
    with pytest.raises(FraudspecError) as raised:
        Endpoint.load(broken, tmp_path / "model", {})
    assert "cannot be loaded" in raised.value.findings[0].message and "fraudspec build" in raised.value.hint
