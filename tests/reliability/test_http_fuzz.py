"""A fuzz of raw HTTP requests against the real runtime process: every request is answered (no hang),
never with a 5xx other than a model failure's 500 with a JSON error, and the server stays alive.
Bounded: 150 generated requests, a 15 s socket timeout each; loopback only."""

from __future__ import annotations

import json
import socket

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fraudspec.runtime import local
from fraudspec.runtime import process as runtime
from fraudspec.spec.load import load_spec
from tests.runtime.conftest import SMALL_SPEC
from tests.small_model import SMALL_MODEL, free_port

pytestmark = pytest.mark.slow  # a live runtime process
TIMEOUT = 15

FIELDS = ["txn_count_1h", "txn_amount_1h", "merchant_count_24h", "avg_amount_7d", "amount"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                    st.text(max_size=20), st.sampled_from(["NaN", "Infinity", "1e400", "-0"]))
records = st.dictionaries(st.sampled_from(FIELDS + ["x", ""]), scalars, max_size=6)
json_bodies = st.one_of(records, st.lists(records, max_size=5), st.builds(lambda r: {"instances": r},
                        st.lists(st.one_of(records, st.lists(scalars, max_size=6)), max_size=4)),
                        st.recursive(scalars, lambda inner: st.lists(inner, max_size=3), max_leaves=8))
bodies = st.one_of(json_bodies.map(lambda value: json.dumps(value).encode()),
                   st.lists(st.lists(st.sampled_from(["1", "2.5", "", "x", "nan", "1e999", '"q"']),
                                     max_size=7).map(",".join), max_size=4).map(lambda rows: "\n".join(rows).encode()),
                   st.binary(max_size=300))
header_values = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40)


@st.composite
def requests(draw: st.DrawFn) -> tuple[bytes, bool]:
    """(the raw request, whether it is complete: framed and all sent)."""
    method = draw(st.sampled_from(["POST", "POST", "POST", "GET", "PUT", "DELETE", "HEAD", "OPTIONS"]))
    path = draw(st.sampled_from(["/invocations", "/invocations", "/ping", "/", "/invocations?x=1", "/%00",
                                 "/" + "a" * 3000]))
    body = draw(bodies)
    headers = {"Host": "127.0.0.1", "Connection": "close"}
    headers["Content-Type"] = draw(st.sampled_from(["application/json", "text/csv", "application/x-npy", "",
                                                    "application/json; charset=utf-8", "text/csv; header=present"]))
    if draw(st.booleans()):
        headers["Accept"] = draw(st.sampled_from(["application/json", "text/csv", "image/png", "*/*"]))
    if draw(st.booleans()):
        headers["X-Amzn-SageMaker-Inference-Id"] = draw(header_values)
    if draw(st.booleans()):
        headers["X-Amzn-SageMaker-Custom-Attributes"] = draw(header_values)
    framing = draw(st.sampled_from(["length", "length", "chunked", "short", "none"]))
    if framing == "length":
        headers["Content-Length"] = str(len(body))
    elif framing == "chunked":
        headers["Transfer-Encoding"] = "chunked"
        body = (f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n") if body else b"0\r\n\r\n"
    elif framing == "short":  # claims more than it sends, then half-closes: the server must not wait forever
        headers["Content-Length"] = str(len(body) + draw(st.integers(1, 100)))
    head = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    return head.encode("latin-1") + body, framing in ("length", "chunked")


def _exchange(port: int, raw: bytes, complete: bool) -> bytes:
    """The whole answer (Connection: close). An incomplete request is half-closed after sending, as a
    client that gives up would; a complete one waits for the answer with the connection open."""
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as sock:
        sock.sendall(raw)
        if not complete:
            sock.shutdown(socket.SHUT_WR)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return received


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    path = root / "specs" / "fraud.yaml"
    path.parent.mkdir()
    path.write_text(SMALL_SPEC.format(model=SMALL_MODEL, port=free_port(), sampling=100))
    spec = load_spec(path, "local")
    info = local.apply(spec, progress=False).info
    yield spec, info
    runtime.stop(spec)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(request=requests())
def test_every_request_is_answered_without_a_server_error(server, request: tuple[bytes, bool]) -> None:
    spec, info = server
    raw, complete = request
    try:
        answer = _exchange(spec.environment.port, raw, complete)
    except TimeoutError:
        pytest.fail(f"no answer within {TIMEOUT} s to {raw[:200]!r}")
    assert answer or not complete, f"a complete request went unanswered: {raw[:200]!r}"
    if answer:
        status = int(answer.split(b" ", 2)[1])
        if status >= 500:
            assert status == 500 and b'"error"' in answer, f"{status} for {raw[:200]!r}: {answer[:300]!r}"
    assert runtime.ping(info.url), f"the server died after {raw[:200]!r}"
