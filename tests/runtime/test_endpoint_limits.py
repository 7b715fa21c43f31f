"""The local endpoint's limits are SageMaker's: header size, read timeouts, 6 MB each way, and a
CPU-heavy request never starves `/ping` or other callers; an oversized body gets its 413 even
from clients that send everything before reading (urllib, urllib3 as boto3 uses)."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator

import pytest
import urllib3

from fraudspec.artifact.pipeline import build
from fraudspec.runtime.endpoint import Endpoint
from fraudspec.runtime.http import InvocationsApp, bind, make_server
from fraudspec.runtime.http_limits import Limits
from tests.artifact.conftest import _make_spec

pytestmark = pytest.mark.slow  # a live server on a trained model
ROW = b"9,900.0,14,35.5,450.25\n"


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Endpoint:
    root = tmp_path_factory.mktemp("limits")
    model_tar = build(_make_spec(root), progress=False).model_tar
    return Endpoint.load(model_tar, root / "model", {"FRAUDSPEC_CAPTURE_DESTINATION": ""})


@pytest.fixture
def serve(endpoint: Endpoint) -> Iterator[Callable[[Limits], tuple[str, int]]]:
    servers = []

    def start(limits: Limits) -> tuple[str, int]:
        sock = bind(0)
        server = make_server(InvocationsApp(endpoint, limits=limits))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        servers.append((server, thread))
        port = sock.getsockname()[1]
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/ping", timeout=1)
                break
            except OSError:
                time.sleep(0.05)
        return f"http://127.0.0.1:{port}", port

    yield start
    for server, thread in servers:
        server.should_exit = True
        thread.join(timeout=10)


def raw(port: int, data: bytes, wait: float = 5) -> bytes:
    """Sends `data` on a fresh connection and returns everything the server says until it closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as sock:
        sock.sendall(data)
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except (TimeoutError, ConnectionResetError):
            pass
    return b"".join(chunks)


def test_request_heads_over_the_limit_get_431_and_the_connection_closes(serve) -> None:
    _, port = serve(Limits(max_head_bytes=8 * 1024))
    answer = raw(port, b"POST /invocations HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 64 * 1024 + b"\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 431 ") and b"request headers exceed 8192 bytes" in answer
    ok = raw(port, b"GET /ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Small: " + b"a" * 1000 + b"\r\n\r\n")
    assert ok.startswith(b"HTTP/1.1 200 ")


def test_half_sent_requests_are_timed_out(serve) -> None:
    _, port = serve(Limits(read_timeout=0.5))
    began = time.monotonic()
    head = raw(port, b"POST /invocations HTTP/1.1\r\nHost: x\r\nContent-")
    assert head.startswith(b"HTTP/1.1 408 ") and time.monotonic() - began < 4
    body = raw(port, b"POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\n"
                     b"Content-Length: 100\r\n\r\n1,2")
    assert body.startswith(b"HTTP/1.1 408 ") and b"not received within 0.5 s" in body


@pytest.mark.parametrize("client", ["urllib", "urllib3"])
def test_python_clients_sending_over_6_mb_receive_the_413(serve, client: str) -> None:
    url, _ = serve(Limits())
    body = ROW * (7 * 1024 * 1024 // len(ROW))
    if client == "urllib":
        request = urllib.request.Request(url + "/invocations", data=body, headers={"Content-Type": "text/csv"})
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(request, timeout=30)
        status, text = caught.value.code, caught.value.read()
    else:
        response = urllib3.PoolManager().request("POST", url + "/invocations", body=body,
                                                 headers={"Content-Type": "text/csv"}, retries=False)
        status, text = response.status, response.data
    expected = f"payload is {len(body)} bytes, over the 6291456-byte (6 MB) limit"  # the handler's words
    assert status == 413 and json.loads(text)["error"] == expected


def test_a_response_over_6_mb_is_refused_as_sagemaker_would(serve) -> None:
    url, _ = serve(Limits())
    rows = ROW * 120_000  # 2.8 MB of CSV: over 7 MB of JSON answers
    request = urllib.request.Request(url + "/invocations", data=rows, headers={"Content-Type": "text/csv"})
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=60)
    assert caught.value.code == 500 and "over the 6291456-byte (6 MB) limit" in json.loads(caught.value.read())["error"]
    smaller = urllib.request.Request(url + "/invocations", data=ROW * 1000, headers={"Content-Type": "text/csv"})
    assert len(json.loads(urllib.request.urlopen(smaller, timeout=60).read())) == 1000


def test_a_cpu_heavy_request_does_not_starve_ping_or_other_callers(serve) -> None:
    url, _ = serve(Limits())
    heavy = urllib.request.Request(url + "/invocations", data=ROW * 200_000, headers={"Content-Type": "text/csv",
                                                                                        "Accept": "text/csv"})
    done: dict[str, float] = {}

    def send_heavy() -> None:
        began = time.monotonic()
        urllib.request.urlopen(heavy, timeout=120).read()
        done["heavy"] = time.monotonic() - began

    thread = threading.Thread(target=send_heavy)
    thread.start()
    time.sleep(0.3)  # the heavy request is being predicted
    pings = []
    while thread.is_alive() and len(pings) < 20:
        began = time.monotonic()
        urllib.request.urlopen(url + "/ping", timeout=10).read()
        small = urllib.request.Request(url + "/invocations", data=ROW, headers={"Content-Type": "text/csv"})
        urllib.request.urlopen(small, timeout=10).read()
        pings.append(time.monotonic() - began)
        time.sleep(0.05)
    thread.join()
    print(f"heavy request {done['heavy']:.2f} s; ping + small request while it ran: max {max(pings) * 1000:.0f} ms "
          f"over {len(pings)}")
    assert pings and max(pings) < 0.5 < done["heavy"]


def test_the_default_limits_are_sagemakers() -> None:
    """What the README's "Limits" paragraph states."""
    limits = Limits()
    assert (limits.max_body, limits.read_timeout, limits.max_head_bytes) == (6 * 1024 * 1024, 60.0, 32 * 1024)
