"""Faults against the real processes: kill -9 under load, a stale runtime.json naming an unrelated live
process, two applies at once. Bounded in time; loopback only."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from dataclasses import asdict
from pathlib import Path

import pytest

from fraudspec.client.http import http_caller, send_all
from fraudspec.client.traffic import make_traffic
from fraudspec.core import jsonfile
from fraudspec.runtime import local
from fraudspec.runtime import process as runtime
from fraudspec.spec.load import load_spec

pytestmark = pytest.mark.slow  # live runtime processes
FRAUDSPEC = [sys.executable, "-m", "fraudspec.cli.main"]


def _captured(spec) -> int:
    return sum(1 for path in spec.workspace.capture.rglob("*.jsonl")
               for line in path.read_bytes().splitlines() if line.strip())


def test_kill_9_under_load_loses_nothing_acknowledged_and_apply_recovers(local_project, stop_runtimes) -> None:
    spec = load_spec(local_project(), "local")
    stop_runtimes(spec)
    info = local.apply(spec, progress=False).info
    killer = threading.Timer(0.4, lambda: os.kill(info.pid, signal.SIGKILL))
    killer.start()
    result = send_all(lambda: http_caller(info.url, timeout=5), make_traffic(spec, 3000, seed=21).requests,
                      concurrency=16, rate=3000)
    killer.join()
    assert 0 < result.acknowledged < 3000, "the kill must land mid-load"
    assert _captured(spec) >= result.acknowledged, "every acknowledged request is in capture"
    # runtime.json still names the dead process: apply sees it is gone and starts afresh.
    again = local.apply(spec, progress=False)
    assert again.action == "started" and again.info.pid != info.pid and runtime.ping(again.info.url)


def test_a_stale_pid_of_an_unrelated_process_is_never_signalled(local_project, stop_runtimes) -> None:
    path = local_project()
    spec = load_spec(path, "local")
    stop_runtimes(spec)
    info = local.apply(spec, progress=False).info
    runtime.stop(spec)
    bystander = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        # The file a killed runtime left, its pid since reused by an unrelated process.
        spec.workspace.runtime_info.write_bytes(jsonfile.dumps({**asdict(info), "pid": bystander.pid}))
        for argv in (["status"], ["destroy"], ["apply", "--no-progress"]):
            done = subprocess.run([*FRAUDSPEC, *argv, "--spec", str(path), "--env", "local"], capture_output=True,
                                  text=True, timeout=120)
            assert "Traceback" not in done.stderr, done.stderr
            assert bystander.poll() is None, f"`fraudspec {argv[0]}` signalled an unrelated process"
        assert runtime.running(spec) is not None and runtime.running(spec).pid != bystander.pid
    finally:
        bystander.kill()
        bystander.wait()


def test_two_applies_at_once_leave_one_healthy_runtime(local_project, stop_runtimes) -> None:
    path = local_project()
    spec = load_spec(path, "local")
    stop_runtimes(spec)
    applies = [subprocess.Popen([*FRAUDSPEC, "apply", "--spec", str(path), "--env", "local", "--no-progress"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outcomes = [(process.wait(timeout=300), *process.communicate()) for process in applies]
    assert [code for code, _, _ in outcomes] == [0, 0], outcomes
    assert all("Traceback" not in err for _, _, err in outcomes)
    info = runtime.running(spec)
    assert info is not None and runtime.ping(info.url)
    daemons = subprocess.run(["pgrep", "-f", f"fraudspec.runtime.daemon --spec {path}"], capture_output=True,
                             text=True).stdout.split()
    assert daemons == [str(info.pid)], "exactly one runtime for the spec"
    said = " ".join(out for _, out, _ in outcomes)
    assert "started" in said and ("unchanged" in said or said.count("started") == 1), said
    assert json.loads(spec.workspace.runtime_info.read_text())["pid"] == info.pid


def _secret_files(root: Path, secret: str) -> list[str]:
    return [str(path) for path in root.rglob("*") if path.is_file() and secret.encode() in path.read_bytes()]


def test_no_file_a_run_writes_holds_the_webhook_secret(local_project, stop_runtimes, tmp_path, monkeypatch) -> None:
    secret = "s3cr3t-T0KEN-4b1f"
    monkeypatch.setenv("FRAUDSPEC_TEST_WEBHOOK", f"https://127.0.0.1:9/hooks/{secret}")  # nothing listens
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    path = local_project()
    spec = load_spec(path, "local")
    stop_runtimes(spec)
    environ = {**os.environ}
    steps = [["apply", "--no-progress"], ["traffic", "--n", "300", "--drift", "amount=x5", "--no-progress"],
             ["monitor", "run"], ["drift", "--html", str(tmp_path / "drift.html")], ["status"], ["destroy"]]
    for argv in steps:
        done = subprocess.run([*FRAUDSPEC, *argv, "--spec", str(path), "--env", "local"], capture_output=True,
                              text=True, timeout=300, env=environ)
        assert secret not in done.stdout + done.stderr and "Traceback" not in done.stderr, (argv, done.stderr)
    log = spec.workspace.runtime_log.read_text() + (spec.workspace.alarm_log.read_text()
                                                     if spec.workspace.alarm_log.exists() else "")
    assert "ALARM" in log or spec.workspace.alarm_log.exists(), "the drifted run changed an alarm: a notification"
    assert _secret_files(tmp_path, secret) == [], "build/, reports, logs, the crash folder and the HTML"
