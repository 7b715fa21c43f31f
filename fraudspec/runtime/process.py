"""The local runtime as a background process: start, status, stop.

`build/local/runtime.json` describes the running process (written by the process itself once
it listens, removed when it stops) and `build/local/runtime.log` holds its log. `digest`
identifies what it serves (effective spec + artifacts), so re-applying an unchanged spec is a
no-op and a changed one restarts it.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

from fraudspec.core import jsonfile
from fraudspec.core.errors import FraudspecError, Location
from fraudspec.core.files import write_atomic
from fraudspec.runtime.http import bind
from fraudspec.spec.model import Spec

START_TIMEOUT_SECONDS = 60
STOP_TIMEOUT_SECONDS = 15


@dataclass(frozen=True)
class RuntimeInfo:
    pid: int
    url: str
    digest: str
    started: str
    log: str


def write_info(spec: Spec, info: RuntimeInfo) -> None:
    write_atomic(spec.workspace.runtime_info, jsonfile.dumps(asdict(info), sort_keys=True))


def running(spec: Spec) -> RuntimeInfo | None:
    """The live runtime of this environment, or None (a stale file from a killed one is removed)."""
    path = spec.workspace.runtime_info
    try:
        text = path.read_text()
    except FileNotFoundError:
        return None
    try:
        info = RuntimeInfo(**json.loads(text))
    except (ValueError, TypeError):
        # Saying "not running" here could orphan a live runtime: make the user look.
        raise FraudspecError(
            f"{path} is not a runtime description",
            location=Location(str(path)),
            hint="if `pgrep -f fraudspec.runtime.daemon` shows a runtime, stop it; then delete the file",
        ) from None
    if not _alive(info.pid):
        path.unlink(missing_ok=True)
        return None
    return info


def start(spec: Spec, digest: str) -> RuntimeInfo:
    """Starts the runtime in the background and waits until it answers /ping."""
    bind(spec.environment.port).close()  # a busy port is a clear error before anything starts
    log_path = spec.workspace.runtime_log
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "fraudspec.runtime.daemon",
                "--spec",
                str(spec.path),
                "--env",
                spec.environment.name,
                "--digest",
                digest,
            ],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise FraudspecError(
                f"the local runtime exited during start-up (code {process.returncode}):\n{_tail(log_path)}",
                hint=f"the whole log is in {log_path}",
            )
        info = running(spec)
        if info is not None and info.pid == process.pid and ping(info.url):
            return info
        time.sleep(0.05)
    process.kill()
    raise FraudspecError(f"the local runtime did not answer within {START_TIMEOUT_SECONDS} s", hint=f"see {log_path}")


def stop(spec: Spec) -> RuntimeInfo | None:
    """Stops the runtime gracefully (SIGTERM, then SIGKILL after a grace period)."""
    info = running(spec)
    if info is None:
        return None
    os.kill(info.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
    while _alive(info.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    if _alive(info.pid):
        os.kill(info.pid, signal.SIGKILL)
    spec.workspace.runtime_info.unlink(missing_ok=True)
    return info


def ping(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/ping", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _alive(pid: int) -> bool:
    with contextlib.suppress(ChildProcessError):  # not our child: only kill(pid, 0) can tell
        waited, _ = os.waitpid(pid, os.WNOHANG)  # reap it if it is our own exited child
        if waited == pid:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
