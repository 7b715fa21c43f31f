"""A runtime's identity is checked before any signal; SIGTERM and SIGINT clean up (runtime.json gone,
port free); each spec has its own workspace, so two specs run side by side and `status` of one never
reports the other."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import asdict

import pytest

from fraudspec.cli.main import main
from fraudspec.core import jsonfile
from fraudspec.core.errors import FraudspecError
from fraudspec.runtime import local
from fraudspec.runtime import process as runtime
from fraudspec.spec.load import load_spec
from tests.runtime.conftest import SMALL_SPEC
from tests.small_model import SMALL_MODEL, free_port


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _wait_gone(pid: int, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while runtime.process_start(pid) is not None and time.monotonic() < deadline:
        time.sleep(0.05)


@pytest.fixture
def bystander():
    """An unrelated live process: a stale runtime.json may name it, and it must survive."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield process
    process.kill()
    process.wait()


def test_a_stale_file_naming_an_unrelated_process_is_never_signalled(local_project, bystander) -> None:
    spec = load_spec(local_project(), "local")
    spec.workspace.root.mkdir(parents=True)
    forged = runtime.RuntimeInfo(pid=bystander.pid, url="http://127.0.0.1:1", digest="d", started="s", log="l",
                                 process_start="12345", spec=str(spec.path.resolve()))
    spec.workspace.runtime_info.write_bytes(jsonfile.dumps(asdict(forged)))
    assert runtime.stop(spec) is None, "a pid whose start time differs is not the runtime"
    assert bystander.poll() is None and not spec.workspace.runtime_info.exists()
    # The old format (no start time) cannot prove it either.
    spec.workspace.runtime_info.write_bytes(jsonfile.dumps({**asdict(forged), "process_start": ""}))
    assert runtime.running(spec) is None and bystander.poll() is None


def test_the_process_start_time_identifies_a_process(bystander) -> None:
    start = runtime.process_start(bystander.pid)
    assert start and start == runtime.process_start(bystander.pid) and start != runtime.process_start(os.getpid())
    assert runtime.process_start(2**22 + 12345) is None


def test_a_runtime_file_of_another_spec_is_refused_by_status(local_project, capsys) -> None:
    spec = load_spec(local_project(), "local")
    spec.workspace.root.mkdir(parents=True)
    other = runtime.RuntimeInfo(pid=os.getpid(), url="u", digest="d", started="s", log="l",
                                process_start=runtime.process_start(os.getpid()) or "", spec="/elsewhere/other.yaml")
    spec.workspace.runtime_info.write_bytes(jsonfile.dumps(asdict(other)))
    with pytest.raises(FraudspecError, match="another spec"):
        runtime.running(spec)


@pytest.mark.slow  # live runtime processes
@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_the_runtime_with_its_clean_up(local_project, stop_runtimes, number: int) -> None:
    spec = load_spec(local_project(), "local")
    stop_runtimes(spec)
    info = local.apply(spec, progress=False).info
    os.kill(info.pid, number)
    _wait_gone(info.pid)
    assert runtime.process_start(info.pid) is None
    assert not spec.workspace.runtime_info.exists(), "the runtime removed its own runtime.json"
    assert _port_free(spec.environment.port)
    assert "Traceback" not in spec.workspace.runtime_log.read_text()


@pytest.mark.slow  # live runtime processes
def test_two_specs_run_side_by_side(tmp_path, stop_runtimes, capsys) -> None:
    specs = []
    for stem in ("first", "second"):
        path = tmp_path / "specs" / f"{stem}.yaml"
        path.parent.mkdir(exist_ok=True)
        text = SMALL_SPEC.format(model=SMALL_MODEL, port=free_port(), sampling=100)
        path.write_text(text.replace("name: fraud-detection", f"name: fraud-{stem}"))
        specs.append(load_spec(path, "local"))
        stop_runtimes(specs[-1])
    first, second = (local.apply(spec, progress=False).info for spec in specs)
    assert first.pid != second.pid and specs[0].workspace.root != specs[1].workspace.root
    assert runtime.running(specs[0]) == first and runtime.running(specs[1]) == second
    assert runtime.ping(first.url) and runtime.ping(second.url)
    capsys.readouterr()
    assert main(["status", "--spec", str(specs[0].path)]) == 0
    said = capsys.readouterr().out
    assert str(first.pid) in said and str(second.pid) not in said
    runtime.stop(specs[1])
    assert runtime.running(specs[0]) == first and runtime.ping(first.url)


RUNTIME_FIELDS = '"url": "u", "digest": "d", "started": "s", "log": "l"'


@pytest.mark.parametrize("text", ["{bad", "[" * 100_000 + "]" * 100_000, '{"pid": "x"}',
                                  *(f'{{"pid": {pid}, {RUNTIME_FIELDS}}}' for pid in (-1, 0, 10**30, "true"))])
def test_a_malformed_runtime_file_is_a_located_error_not_a_crash(local_project, text: str) -> None:
    spec = load_spec(local_project(), "local")
    spec.workspace.root.mkdir(parents=True)
    spec.workspace.runtime_info.write_text(text)
    with pytest.raises(FraudspecError) as raised:
        runtime.running(spec)
    assert raised.value.location.file == str(spec.workspace.runtime_info)
