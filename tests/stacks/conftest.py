"""model.tar.gz served exactly as SageMaker serves it, by the real serving stacks, once per session.

- "1.2-1" and "1.4-2": the scikit-learn images' single-model server, started as the image starts
  it (sagemaker_containers' `_server.start` minus nginx): gunicorn with gevent workers running
  `sagemaker_sklearn_container.serving:main`, SAGEMAKER_PROGRAM=inference.py, the model unpacked
  in <base>/model, each in its image's Python with its pins (tests/stacks/venvs.py);
- "toolkit": the sagemaker-inference toolkit path (multi-model endpoints), see toolkit_server.py;
- "local": fraudspec's local runtime (uvicorn, runtime.http) on the same artifact.
Every server captures to its own directory (file://), as the handler does on serverless endpoints.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from fraudspec.artifact.loader import extract
from fraudspec.artifact.pipeline import build
from fraudspec.runtime.endpoint import Endpoint
from fraudspec.runtime.http import InvocationsApp, bind, make_server
from tests.artifact.conftest import _make_spec
from tests.stacks.venvs import STACKS, VENDOR, ensure

ENDPOINT, VARIANT = "fraud-ep", "AllTraffic"
HERE = Path(__file__).resolve().parent
# (stack name, how it serves, the virtualenv's image): the columns of the status table.
SERVERS = (("1.2-1", "gunicorn", "1.2-1"), ("1.4-2", "gunicorn", "1.4-2"), ("toolkit", "toolkit", "1.4-2"))


@dataclass(frozen=True)
class Served:
    url: str
    capture: Path


@pytest.fixture(scope="session")
def artifact(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("stack-project")
    return build(_make_spec(root), progress=False).model_tar


@pytest.fixture(scope="session")
def broken_artifact(artifact: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same artifact whose model fails on every prediction (an input dtype numpy cannot cast
    numbers to): what a bug in the model looks like to the server."""
    work = tmp_path_factory.mktemp("broken")
    extract(artifact, work / "model")
    manifest_path = work / "model" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["estimator"]["input_dtype"] = "datetime64[s]"
    manifest_path.write_text(json.dumps(manifest))
    return work / "model"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_ping(url: str, process: subprocess.Popen | None, log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url} exited {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url + "/ping", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer /ping:\n{log.read_text()[-3000:]}")


def start_stack(kind: str, image: str, model_dir: Path, capture: Path, work: Path) -> tuple[subprocess.Popen, str]:
    """Starts one stack server on `model_dir` (its parent is SAGEMAKER_BASE_DIR); returns it and its URL."""
    (stack,) = [s for s in STACKS if s.name == image]
    ensure(stack)
    port = free_port()
    code = model_dir / "code"
    environment = {
        "PATH": os.environ["PATH"], "HOME": str(work), "PYTHONPATH": f"{VENDOR}:{code}",
        "SAGEMAKER_PROGRAM": "inference.py", "SAGEMAKER_SUBMIT_DIRECTORY": str(code),
        "SAGEMAKER_BASE_DIR": str(model_dir.parent), "SAGEMAKER_BIND_TO_PORT": str(port),
        "FRAUDSPEC_CAPTURE_DESTINATION": capture.as_uri(), "FRAUDSPEC_ENDPOINT_NAME": ENDPOINT,
        "FRAUDSPEC_VARIANT_NAME": VARIANT,
    }
    if kind == "gunicorn":  # sagemaker_containers._server.start's command, one worker
        command = [str(stack.bin / "gunicorn"), "-k", "gevent", "--timeout", "60", "--pythonpath", f"{VENDOR},{code}",
                   "-b", f"127.0.0.1:{port}", "-w", "1", "sagemaker_sklearn_container.serving:main"]
    else:
        command = [str(stack.bin / "python"), str(HERE / "toolkit_server.py"), str(port), str(model_dir)]
    log = work / f"{kind}-{image}.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(command, env=environment, stdout=output, stderr=subprocess.STDOUT, cwd=work)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for_ping(url, process, log)
    except RuntimeError:
        stop(process)
        raise
    return process, url


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def stacks(artifact: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Served]]:
    """Every stack serving the artifact, started once: name -> where it answers and captures."""
    work = tmp_path_factory.mktemp("stacks")
    processes, served = [], {}
    try:
        for name, kind, image in SERVERS:
            base = work / name
            extract(artifact, base / "model")
            process, url = start_stack(kind, image, base / "model", base / "capture", base)
            processes.append(process)
            served[name] = Served(url, base / "capture")
        yield served
    finally:
        for process in processes:
            stop(process)


def serve_local(model_tar: Path, model_dir: Path, capture: Path | None = None) -> tuple[str, object, threading.Thread]:
    """fraudspec's local runtime on `model_tar`, in a thread: (URL, server, thread)."""
    from fraudspec.artifact.handler import capture as handler_capture

    settings = {handler_capture.ENV_DESTINATION: capture.as_uri() if capture else "",
                handler_capture.ENV_ENDPOINT: ENDPOINT, handler_capture.ENV_VARIANT: VARIANT}
    saved = {name: os.environ.get(name) for name in settings}
    try:
        endpoint = Endpoint.load(model_tar, model_dir, settings)
    finally:
        for name, value in saved.items():  # Endpoint.load sets them process-wide: leave no trace
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    sock = bind(0)
    server = make_server(InvocationsApp(endpoint, VARIANT, endpoint_name=ENDPOINT))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    _wait_for_ping(url, None, Path(os.devnull))
    return url, server, thread


@pytest.fixture(scope="session")
def local(artifact: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    work = tmp_path_factory.mktemp("local-runtime")
    url, server, thread = serve_local(artifact, work / "model", work / "capture")
    yield Served(url, work / "capture")
    server.should_exit = True  # type: ignore[attr-defined]
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def broken_tar(broken_artifact: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The broken model directory packed again, for the local runtime (which unpacks a tarball)."""
    import tarfile

    tar = tmp_path_factory.mktemp("broken-tar") / "model.tar.gz"
    with tarfile.open(tar, "w:gz") as archive:
        for entry in sorted(broken_artifact.iterdir()):
            archive.add(entry, arcname=entry.name)
    return tar


def copy_model(model_dir: Path, destination: Path) -> Path:
    shutil.copytree(model_dir, destination / "model")
    return destination / "model"
