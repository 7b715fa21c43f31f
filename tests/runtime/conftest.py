"""A tiny model artifact in SageMaker's layout (its own code/inference.py), and a live server."""

from __future__ import annotations

import io
import json
import tarfile
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from fraudspec.runtime.endpoint import Endpoint
from fraudspec.runtime.http import InvocationsApp, bind, make_server
from tests.small_model import SMALL_MODEL, free_port

# Doubles the "x" of a JSON object; "boom" crashes it; "bad" is a payload error.
TOY_HANDLER = '''
import json

class PayloadError(ValueError):
    status = 400

seen_ids = []

def model_fn(model_dir):
    return {"factor": 2}

def set_inference_id(value):
    seen_ids.append(value)

def input_fn(body, content_type):
    if content_type != "application/json":
        raise PayloadError(f"unsupported content type {content_type}")
    data = json.loads(body)
    if data.get("x") == "bad":
        raise PayloadError("x must be a number")
    return data

def predict_fn(data, model):
    if data.get("x") == "boom":
        raise RuntimeError("internal detail that must not leak")
    return data["x"] * model["factor"]

def output_fn(prediction, accept):
    return json.dumps({"y": prediction}), "application/json"
'''


@pytest.fixture
def toy_model(tmp_path: Path) -> Path:
    tar_path = tmp_path / "model.tar.gz"
    with tarfile.open(tar_path, "w:gz") as archive:
        data = TOY_HANDLER.encode()
        info = tarfile.TarInfo("code/inference.py")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    return tar_path


@pytest.fixture
def serve_endpoint():
    """Starts an Endpoint on a free loopback port in a thread; yields its base URL."""
    servers = []

    def start(endpoint: Endpoint, max_body: int | None = None) -> str:
        app = InvocationsApp(endpoint) if max_body is None else InvocationsApp(endpoint, max_body=max_body)
        sock = bind(0)
        server = make_server(app)
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        servers.append((server, thread))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(url + "/ping", timeout=1)
                return url
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("server did not start")

    yield start
    for server, thread in servers:
        server.should_exit = True
        thread.join(timeout=10)


SMALL_SPEC = """\
name: fraud-detection
team: rc
project: test
{model}
endpoint:
  serverless: {{memory_mb: 2048, max_concurrency: 5}}
capture:
  sampling_percent: {sampling}
monitoring:
  schedule: hourly
  drift: {{threshold: 0.1, features: {{amount: 0.05}}}}
  model_quality:
    metrics: {{auc: {{min: 0.8}}}}
    min_labels: 200
alarms:
  notify:
    - webhook: ${{env:FRAUDSPEC_TEST_WEBHOOK}}
environments:
  local:
    target: local
    port: {port}
"""


@pytest.fixture
def local_project(tmp_path: Path):
    """A project directory with a small spec on a free port; call it to (re)write the spec."""
    port = free_port()

    def write(sampling: int = 100) -> Path:
        path = tmp_path / "specs" / "fraud.yaml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(SMALL_SPEC.format(model=SMALL_MODEL, port=port, sampling=sampling))
        return path

    return write


@pytest.fixture
def stop_runtimes():
    """Stops every runtime a test started, whatever happens in the test."""
    from fraudspec.runtime import process as runtime

    specs = []
    yield specs.append
    for spec in specs:
        runtime.stop(spec)


@pytest.fixture
def receiver():
    """A webhook receiver on loopback: yields (url, list of received JSON bodies)."""
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook", received
    server.shutdown()


