"""The local runtime stops itself after idle_after_days without invocations, saying so first."""

from __future__ import annotations

import json
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

from fraudspec.runtime import daemon
from fraudspec.runtime.idle import Activity, IdleWatch
from fraudspec.spec.load import load_spec

START = datetime(2026, 12, 1, tzinfo=timezone.utc)
SPEC = """\
name: fraud
team: rc
project: idle
model:
  features: [{name: amount}]
  target: is_fraud
  data: {synthetic: {}}
endpoint:
  serverless: {}
environments:
  local: {target: local, idle_after_days: 2}
"""


class _Endpoint:
    capture_failures = 0

    def __init__(self) -> None:
        self.calls = 0

    def invoke(self, body: bytes) -> bytes:
        self.calls += 1
        return body


def _spec(tmp_path: Path):
    path = tmp_path / "specs" / "spec.yaml"
    path.parent.mkdir()
    path.write_text(SPEC)
    return load_spec(path, "local")


def test_invocations_postpone_the_stop_and_idleness_ends_it(tmp_path: Path, manual_clock) -> None:
    spec, clock, stopped = _spec(tmp_path), manual_clock(START), threading.Event()
    endpoint = _Endpoint()
    activity = Activity(endpoint, clock)
    watch = IdleWatch(spec, activity, clock, stopped.set)
    watch.start()
    assert clock.waiting(1) == [START + timedelta(days=2)]
    clock.advance(timedelta(days=1, hours=23))
    assert activity.invoke(b"x") == b"x" and endpoint.calls == 1  # the call reaches the endpoint
    assert activity.capture_failures == 0  # anything else is the endpoint's
    clock.advance(timedelta(hours=1))  # two days since the start, one hour since the invocation
    assert clock.waiting(1) == [START + timedelta(days=3, hours=23)]
    assert not stopped.is_set()
    clock.advance(timedelta(days=2))
    assert stopped.wait(5)
    [event] = [json.loads(line) for line in spec.workspace.alarm_log.read_text().splitlines()]
    assert (event["alarm"], event["metric"], event["old"], event["new"]) == \
        ("rc-idle-fraud-local-idle", "Invocations", "OK", "ALARM")
    assert "no invocations since 2026-12-02T23:00:00+00:00 (2 days)" in event["reason"]
    assert "`fraudspec apply --env local` starts it again" in event["reason"]
    watch.stop()


def test_a_runtime_stopped_for_another_reason_records_nothing(tmp_path: Path, manual_clock) -> None:
    spec, clock, stopped = _spec(tmp_path), manual_clock(START), threading.Event()
    watch = IdleWatch(spec, Activity(_Endpoint(), clock), clock, stopped.set)
    watch.start()
    clock.waiting(1)
    watch.stop()
    assert not stopped.is_set() and not spec.workspace.alarm_log.exists()


def test_the_daemon_stops_its_server_when_idle_and_only_when_asked(tmp_path: Path, manual_clock) -> None:
    spec, clock = _spec(tmp_path), manual_clock(START)
    server = SimpleNamespace(should_exit=False)  # uvicorn.Server's graceful-stop flag, as SIGTERM sets it
    activity = Activity(_Endpoint(), clock)
    watch = daemon._idle_watch(spec, activity, server, clock)
    assert watch is not None
    clock.waiting(1)
    clock.advance(timedelta(days=2))
    deadline = time.monotonic() + 5
    while not server.should_exit and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.should_exit is True
    watch.stop()
    (tmp_path / "specs" / "spec.yaml").write_text(SPEC.replace(", idle_after_days: 2", ""))
    unwatched = load_spec(tmp_path / "specs" / "spec.yaml", "local")
    assert daemon._idle_watch(unwatched, activity, server, clock) is None


def test_a_runtime_started_again_after_an_idle_stop_returns_the_alarm_to_ok(tmp_path: Path, manual_clock) -> None:
    spec, clock, stopped = _spec(tmp_path), manual_clock(START), threading.Event()
    watch = IdleWatch(spec, Activity(_Endpoint(), clock), clock, stopped.set)
    watch.start()
    clock.waiting(1)
    clock.advance(timedelta(days=2))
    assert stopped.wait(5)
    watch.stop()
    clock.advance(timedelta(days=5))
    again = IdleWatch(spec, Activity(_Endpoint(), clock), clock, threading.Event().set)
    again.start()
    events = [json.loads(line) for line in spec.workspace.alarm_log.read_text().splitlines()]
    assert [(e["old"], e["new"]) for e in events] == [("OK", "ALARM"), ("ALARM", "OK")]
    assert events[1]["reason"] == "the local runtime started again" and events[1]["alarm"] == events[0]["alarm"]
    again.stop()
    third = IdleWatch(spec, Activity(_Endpoint(), clock), clock, threading.Event().set)
    third.start()  # already OK: nothing more to record
    third.stop()
    assert len(spec.workspace.alarm_log.read_text().splitlines()) == 2
