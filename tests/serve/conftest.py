"""A tiny model artifact in SageMaker's layout (its own code/inference.py), and a live server."""

from __future__ import annotations

import io
import tarfile
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from fraudspec.serve.endpoint import Endpoint
from fraudspec.serve.http import InvocationsApp, bind, make_server

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
