"""The capture durability contract on a really full disk (a 1 MB tmpfs): with on_failure fail every
200 is in the capture and nothing else is; with drop every request is answered and the lost records
are counted; either way capture recovers by itself once the disk has room again. Where mounting is
not allowed, tests/artifact/test_capture.py injects ENOSPC at the writer instead."""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from fraudspec.artifact.handler import capture as handler_capture
from fraudspec.artifact.pipeline import build
from fraudspec.client.http import Request, http_caller, send_all
from fraudspec.runtime.endpoint import Endpoint
from fraudspec.runtime.http import InvocationsApp, bind, make_server
from tests.artifact.conftest import _make_spec

pytestmark = pytest.mark.slow  # a live server, a mounted filesystem
ROW = b"9,900.0,14,35.5,450.25"


@pytest.fixture(scope="module")
def model_tar(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(_make_spec(tmp_path_factory.mktemp("durability")), progress=False).model_tar


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.decode().strip()}); the injected-ENOSPC tests "
                    "in tests/artifact/test_capture.py cover the writer")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def serve(model_tar: Path, model_dir: Path, capture: Path, on_failure: str) -> tuple[str, Endpoint, object, object]:
    settings = {handler_capture.ENV_DESTINATION: capture.as_uri(), handler_capture.ENV_ENDPOINT: "ep",
                handler_capture.ENV_ON_FAILURE: on_failure}
    saved = {name: os.environ.get(name) for name in settings}
    try:
        endpoint = Endpoint.load(model_tar, model_dir, settings)
    finally:
        for name, value in saved.items():
            os.environ.pop(name, None) if value is None else os.environ.__setitem__(name, value)
    sock = bind(0)
    server = make_server(InvocationsApp(endpoint))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/ping", timeout=1)
            break
        except OSError:
            time.sleep(0.05)
    return url, endpoint, server, thread


def fill(disk: Path, leave: int) -> Path:
    """A filler file taking all but about `leave` bytes of the disk."""
    filler = disk / "filler"
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    filler.write_bytes(b"\0" * max(0, free - leave))
    return filler


def captured_ids(capture: Path) -> list[str]:
    lines = [line for path in capture.rglob("*.jsonl") for line in path.read_text().splitlines()]
    return [json.loads(line)["eventMetadata"]["inferenceId"] for line in lines]  # every line whole JSON


def requests(count: int) -> list[Request]:
    return [Request(ROW, "text/csv", inference_id=str(uuid.uuid4())) for _ in range(count)]


def test_fail_acknowledges_only_what_is_captured_and_recovers(small_disk: Path, model_tar: Path, tmp_path: Path):
    capture = small_disk / "capture"
    url, endpoint, server, thread = serve(model_tar, tmp_path / "model", capture, "fail")
    try:
        filler = fill(small_disk, leave=40 * 1024)
        full = send_all(lambda: http_caller(url), requests(300), concurrency=4)
        assert full.statuses.get(503, 0) > 0 and full.acknowledged > 0  # the disk ran out part way
        assert sorted(captured_ids(capture)) == sorted(full.inference_ids.values())  # 200 <=> captured
        filler.unlink()  # room again: nothing to restart
        after = send_all(lambda: http_caller(url), requests(50), concurrency=4)
        assert after.statuses == {200: 50}
        assert sorted(captured_ids(capture)) == sorted([*full.inference_ids.values(), *after.inference_ids.values()])
        assert endpoint.capture_failures == full.statuses[503]
    finally:
        server.should_exit = True  # type: ignore[attr-defined]
        thread.join(timeout=10)  # type: ignore[attr-defined]


def test_drop_answers_everything_and_counts_what_was_lost(small_disk: Path, model_tar: Path, tmp_path: Path):
    capture = small_disk / "capture"
    url, endpoint, server, thread = serve(model_tar, tmp_path / "model", capture, "drop")
    try:
        filler = fill(small_disk, leave=40 * 1024)
        full = send_all(lambda: http_caller(url), requests(300), concurrency=4)
        assert full.statuses == {200: 300}
        kept = captured_ids(capture)
        assert 0 < len(kept) < 300 and endpoint.capture_failures == 300 - len(kept)
        filler.unlink()
        send_all(lambda: http_caller(url), requests(20), concurrency=2)
        assert len(captured_ids(capture)) == len(kept) + 20 and endpoint.capture_failures == 300 - len(kept)
    finally:
        server.should_exit = True  # type: ignore[attr-defined]
        thread.join(timeout=10)  # type: ignore[attr-defined]
