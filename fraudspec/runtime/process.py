"""The local runtime as a background process: start, status, stop.

The workspace's `runtime.json` describes the running process (written by the process itself once
it listens, removed when it stops) and `runtime.log` holds its log. `digest` identifies what it
serves (effective spec + artifacts), so re-applying an unchanged spec is a no-op and a changed one
restarts it.

A pid alone is not an identity: the file also records the process's start time (from /proc, else
`ps`) and the spec it serves. A process is signalled only when its pid *and* start time match, so a
stale file naming a reused pid never gets an unrelated process killed; on Linux the signal goes
through a pidfd opened before the check, so the pid cannot be reused in between.
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
from dataclasses import asdict, dataclass, replace
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
    process_start: str = ""  # the process's start time, as process_start(pid) reads it
    spec: str = ""  # the spec file it serves, resolved


def write_info(spec: Spec, info: RuntimeInfo) -> None:
    """Written by the runtime itself: its own pid's start time and its spec complete the record."""
    info = replace(info, process_start=process_start(info.pid) or "", spec=str(spec.path.resolve()))
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
        if isinstance(info.pid, bool) or not isinstance(info.pid, int) or not 0 < info.pid < 2**31:
            raise ValueError("pid is not a process id")  # -1 or 0 would address many processes at once
    except (ValueError, TypeError, RecursionError):
        # Saying "not running" here could orphan a live runtime: make the user look.
        raise FraudspecError(
            f"{path} is not a runtime description",
            location=Location(str(path)),
            hint="if `pgrep -f fraudspec.runtime.daemon` shows a runtime, stop it; then delete the file",
        ) from None
    if info.spec and info.spec != str(spec.path.resolve()):
        raise FraudspecError(f"{path} describes the runtime of another spec, {info.spec}",
                             location=Location(str(path)),
                             hint=f"stop it with `fraudspec destroy --spec {info.spec}`, or rename one of the specs")
    if not _is_running(info):
        path.unlink(missing_ok=True)  # stale: the process is gone, or its pid now belongs to another one
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
    """Stops the runtime gracefully (SIGTERM, then SIGKILL after a grace period), only if it is the
    process runtime.json describes."""
    info = running(spec)
    if info is None:
        return None
    _signal(info, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
    while _is_running(info) and time.monotonic() < deadline:
        time.sleep(0.05)
    _signal(info, signal.SIGKILL)  # a no-op when it is gone
    spec.workspace.runtime_info.unlink(missing_ok=True)
    return info


def process_start(pid: int) -> str | None:
    """When process `pid` started (clock ticks since boot, from /proc; else `ps`'s lstart), or None
    when there is no such process."""
    try:
        fields = (text := Path(f"/proc/{pid}/stat").read_text())[text.rindex(")") + 2:].split()
        return None if fields[0] in ("Z", "X") else fields[19]  # a zombie has exited; field 22 is starttime
    except FileNotFoundError:
        if Path("/proc/self/stat").exists():
            return None  # /proc works: the process is gone
    except (OSError, ValueError, IndexError):
        return None
    done = subprocess.run(["ps", "-o", "lstart=", "-p", str(pid)], capture_output=True, text=True, check=False)
    return done.stdout.strip() or None


def _is_running(info: RuntimeInfo) -> bool:
    """Whether info's process is alive and is the one that wrote info (its start time matches)."""
    if not _alive(info.pid):
        return False
    return bool(info.process_start) and process_start(info.pid) == info.process_start


def _signal(info: RuntimeInfo, number: int) -> None:
    """Sends `number` to info's process if it still is that process; through a pidfd where the system
    has them, so the pid checked is the pid signalled."""
    pidfd = None
    with contextlib.suppress(AttributeError, OSError):
        pidfd = os.pidfd_open(info.pid)
    try:
        if not _is_running(info):
            return
        if pidfd is not None:
            signal.pidfd_send_signal(pidfd, number)
        else:
            os.kill(info.pid, number)
    except ProcessLookupError:
        pass  # it exited between the identity check and the signal: nothing left to stop
    finally:
        if pidfd is not None:
            os.close(pidfd)


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
