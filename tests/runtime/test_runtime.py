"""The local runtime as a real background process: apply, re-apply, capture, crash safety, destroy;
its monitoring schedulers on a driven clock, and once on the real one."""

from __future__ import annotations

import io
import json
import logging
import os
import signal
import socket
import tarfile
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from fraudspec.artifact.capture_settings import capture_environment
from fraudspec.client.http import http_caller, send_all
from fraudspec.client.traffic import make_traffic
from fraudspec.core.errors import FraudspecError
from fraudspec.runtime import daemon, local
from fraudspec.runtime import process as runtime
from fraudspec.runtime.endpoint import Endpoint
from fraudspec.spec.load import load_spec


def _captured(spec) -> list[dict]:
    return [json.loads(line) for path in sorted(spec.workspace.capture.rglob("*.jsonl"))
            for line in path.read_text().splitlines() if line.strip()]


@pytest.mark.slow  # a live runtime process
def test_apply_is_idempotent_restarts_on_change_and_destroys(local_project, stop_runtimes) -> None:
    spec = load_spec(local_project(), "local")
    stop_runtimes(spec)
    first = local.apply(spec, progress=False)
    assert first.action == "started" and runtime.ping(first.info.url)
    again = local.apply(spec, progress=False)
    assert again.action == "unchanged" and again.info.pid == first.info.pid
    changed = load_spec(local_project(sampling=50), "local")
    restarted = local.apply(changed, progress=False)
    assert restarted.action == "restarted" and restarted.info.pid != first.info.pid
    assert runtime.stop(changed).pid == restarted.info.pid
    assert runtime.running(changed) is None and not changed.workspace.runtime_info.exists()
    assert not runtime.ping(restarted.info.url)


@pytest.mark.slow  # a live runtime process
def test_requests_are_captured_in_sagemaker_layout(local_project, stop_runtimes) -> None:
    spec = load_spec(local_project(), "local")
    stop_runtimes(spec)
    info = local.apply(spec, progress=False).info
    traffic = make_traffic(spec, 40, seed=3)
    result = send_all(lambda: http_caller(info.url), traffic.requests)
    assert result.acknowledged == 40
    records = _captured(spec)
    assert len(records) == 40
    assert {r["eventMetadata"]["inferenceId"] for r in records} == {q.inference_id for q in traffic.requests}
    assert records[0]["captureData"]["endpointInput"]["encoding"] == "JSON"
    path = next(spec.workspace.capture.rglob("*.jsonl")).relative_to(spec.workspace.capture)
    assert path.parts[:2] == (spec.names.endpoint, "AllTraffic") and len(path.parts) == 7


def test_busy_port_is_a_clear_error(local_project) -> None:
    spec = load_spec(local_project(), "local")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", spec.environment.port))
        taken.listen(1)
        with pytest.raises(FraudspecError) as raised:
            runtime.start(spec, "digest")
    assert f":{spec.environment.port}" in raised.value.findings[0].message


@pytest.mark.slow  # a live runtime process
def test_kill_9_loses_no_acknowledged_request(local_project, stop_runtimes) -> None:
    spec = load_spec(local_project(), "local")
    stop_runtimes(spec)
    info = local.apply(spec, progress=False).info
    traffic = make_traffic(spec, 2000, seed=5)
    killer = threading.Timer(0.3, lambda: os.kill(info.pid, signal.SIGKILL))
    killer.start()
    # Rate-limited to ~1 s of load so that the kill at 0.3 s lands mid-load on any machine.
    result = send_all(lambda: http_caller(info.url, timeout=5), traffic.requests, concurrency=8, rate=2000)
    killer.join()
    assert 0 < result.acknowledged < 2000, "the kill must land mid-load for this test to mean anything"
    assert len(_captured(spec)) >= result.acknowledged


@pytest.mark.slow  # a live runtime process
def test_sustained_load_has_no_errors_and_flat_memory(local_project, stop_runtimes) -> None:
    spec = load_spec(local_project(), "local")
    stop_runtimes(spec)
    info = local.apply(spec, progress=False).info
    traffic = make_traffic(spec, 2000, seed=9)
    send_all(lambda: http_caller(info.url), traffic.requests, concurrency=32)  # warm up
    before = _rss_kb(info.pid)
    requests = traffic.requests * 5
    result = send_all(lambda: http_caller(info.url), requests, concurrency=32)
    after = _rss_kb(info.pid)
    assert result.acknowledged == 10000 and result.statuses == {200: 10000}
    assert after - before < 20_000, f"runtime grew {after - before} kB over 10,000 requests"


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_tampered_artifact_refuses_to_load(local_project, tmp_path) -> None:
    spec = load_spec(local_project(), "local")
    local.prepare(spec, progress=False)
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(spec.workspace.model_tar) as source, tarfile.open(tampered, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read() if member.isfile() else None
            if member.name.endswith(".npy"):
                data = data[:-8] + bytes(8)  # same size, different values: only the digest can tell
            target.addfile(member, io.BytesIO(data) if data is not None else None)
    with pytest.raises(FraudspecError) as raised:
        Endpoint.load(tampered, tmp_path / "model", {})
    assert "sha256" in raised.value.findings[0].message and "fraudspec build" in raised.value.hint


def test_the_runtimes_schedulers_run_monitoring_at_each_fire_time(local_project, serve_endpoint, manual_clock,
                                                                 caplog) -> None:
    """The runtime's own schedulers and jobs on a driven clock: each fire runs its kind of monitoring on
    its window of the captured traffic, and logs it (the real clock: the slow test below)."""
    path = local_project()
    text = path.read_text().replace("  schedule: hourly\n  drift:", "  schedule: rate(1 minute)\n  drift:")
    path.write_text(text.replace("    min_labels: 200\n", "    min_labels: 200\n    schedule: rate(2 minutes)\n"))
    spec = load_spec(path, "local")
    local.prepare(spec, progress=False)
    endpoint = Endpoint.load(spec.workspace.model_tar, spec.workspace.runtime_model,
                             capture_environment(spec, spec.workspace.capture.resolve().as_uri()))
    url = serve_endpoint(endpoint)
    start = datetime.now(timezone.utc)  # the capture files' hours come from the real clock
    clock = manual_clock(start)
    schedulers = daemon._schedulers(spec, clock)
    minute = timedelta(minutes=1)
    reports = spec.workspace.reports / spec.names.endpoint / spec.names.monitoring_schedule
    caplog.set_level(logging.INFO, logger="fraudspec.runtime")
    for scheduler in schedulers:
        scheduler.start()
    try:
        assert clock.waiting(2) == [start + minute, start + 2 * minute], "data quality, then model quality"
        result = send_all(lambda: http_caller(url), make_traffic(spec, 100, seed=31, drift="amount=x5").requests)
        assert result.acknowledged == 100
        assert not list(reports.rglob("execution_summary.json")), "nothing runs before its fire time"
        clock.advance(minute)
        assert clock.waiting(2) == [start + 2 * minute, start + 2 * minute]
        # One run: its own folder's summary (the hour folder holds a copy, Model Monitor's layout).
        summaries = [json.loads(p.read_text()) for p in reports.glob("*/*/*/*/*/execution_summary.json")]
        assert len(summaries) == 1
        assert summaries[0]["records"]["records"] == 100 and summaries[0]["violations"] >= 1
        clock.advance(minute)
        assert clock.waiting(2) == [start + 3 * minute, start + 4 * minute]
    finally:
        for scheduler in schedulers:
            scheduler.stop()
    at = [(start + n * minute).isoformat() for n in range(3)]
    runs = [record.getMessage() for record in caplog.records if record.getMessage().startswith("scheduled ")]
    assert len(runs) == 3 and runs[0] == f"scheduled data quality run for [{at[0]}, {at[1]}): CompletedWithViolations"
    assert sorted(run.split(": ")[0] for run in runs[1:]) == [f"scheduled data quality run for [{at[1]}, {at[2]})",
                                                            f"scheduled model quality run for [{at[0]}, {at[2]})"]
    assert f"scheduled model quality run for [{at[0]}, {at[2]}): InsufficientData" in runs, "no labels were sent"
    levels = {record.getMessage().rsplit(": ", 1)[1]: record.levelname for record in caplog.records
              if record.getMessage().startswith("scheduled ")}
    assert levels["CompletedWithViolations"] == "WARNING" and levels["InsufficientData"] == "INFO"


@pytest.mark.slow  # a live runtime process, waiting a minute of real time
def test_the_runtime_runs_monitoring_on_its_schedule(local_project, stop_runtimes) -> None:
    """The real background process on the real clock with `rate(1 minute)` (about a minute): its first
    scheduled run analyses the traffic."""
    path = local_project()
    path.write_text(path.read_text().replace("  schedule: hourly\n  drift:", "  schedule: rate(1 minute)\n  drift:"))
    spec = load_spec(path, "local")
    stop_runtimes(spec)
    info = local.apply(spec, progress=False).info
    send_all(lambda: http_caller(info.url), make_traffic(spec, 100, seed=31, drift="amount=x5").requests)
    reports = spec.workspace.reports / spec.names.endpoint / spec.names.monitoring_schedule
    deadline = time.monotonic() + 100
    while time.monotonic() < deadline and not list(reports.rglob("execution_summary.json")):
        time.sleep(1)
    summaries = [json.loads(p.read_text()) for p in reports.rglob("execution_summary.json")]
    assert summaries, "no scheduled run within 100 s of a rate(1 minute) schedule"
    assert summaries[0]["records"]["records"] == 100 and summaries[0]["violations"] >= 1
    assert "scheduled data quality run for" in Path(info.log).read_text(), "the runtime logs each scheduled run"


@pytest.mark.slow  # a live runtime process
def test_invoke_hints_follow_the_status(local_project, stop_runtimes, capsys) -> None:
    from fraudspec.cli.main import main

    spec = load_spec(local_project(), "local")
    stop_runtimes(spec)
    local.apply(spec, progress=False)
    base = ["invoke", "--spec", str(spec.path), "--data", "1,2,3,4,5", "--content-type", "text/csv"]
    assert main(base) == 0 and "fraud_probability" in capsys.readouterr().out
    assert main(base + ["--accept", "application/xml"]) == 1
    assert "--accept application/json" in capsys.readouterr().err
    assert main(["invoke", "--spec", str(spec.path), "--data", "1,2", "--content-type", "text/csv"]) == 1
    assert "fix the request body" in capsys.readouterr().err
