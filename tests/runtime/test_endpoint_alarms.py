"""The local endpoint measures what SageMaker publishes for an endpoint, period by period, and
evaluates the spec's endpoint alarms (the list render gives CloudWatch) on it; capture failures are
counted, alarmed and shown by `status`."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest

from fraudspec.artifact.handler import capture as handler_capture
from fraudspec.artifact.pipeline import build
from fraudspec.client.http import Request, http_caller, send_all
from fraudspec.monitoring.alarms.definitions import alarms, capture_alarm
from fraudspec.monitoring.alarms.files import read_alarm_log, read_alarm_states
from fraudspec.runtime.endpoint import Endpoint
from fraudspec.runtime.endpoint_metrics import EndpointMetrics, Period, datapoint, summary
from fraudspec.runtime.http import InvocationsApp, bind, make_server
from fraudspec.runtime.monitoring import record_endpoint_period
from fraudspec.spec.model import AlarmsSpec, RealtimeEndpoint
from tests.artifact.conftest import _make_spec

pytestmark = pytest.mark.slow  # live servers and real alarm periods
ROW = b"9,900.0,14,35.5,450.25"


@pytest.fixture(scope="module")
def model_tar(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(_make_spec(tmp_path_factory.mktemp("alarms")), progress=False).model_tar


def spec_for(root: Path):
    spec = _make_spec(root)
    return replace(spec, alarms=AlarmsSpec(evaluation_periods=1))


def serve(spec, model_tar: Path, capture_to: str, period: float) -> tuple[str, object, threading.Thread]:
    """The endpoint on `model_tar` with its alarm period `period` s, in a thread: (URL, server, thread)."""
    environment = {handler_capture.ENV_DESTINATION: capture_to, handler_capture.ENV_ENDPOINT: spec.names.endpoint}
    endpoint = Endpoint.load(model_tar, spec.workspace.runtime_model, environment)
    app = InvocationsApp(endpoint, spec.endpoint.variant, endpoint_name=spec.names.endpoint, period_seconds=period,
                         on_period=lambda p: record_endpoint_period(spec, p.values(), p_end()))
    sock = bind(0)
    server = make_server(app)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/ping", timeout=1)
            break
        except OSError:
            time.sleep(0.05)
    return url, server, thread


def p_end() -> datetime:
    return datetime.now(timezone.utc)


def wait_for_periods(spec, count: int, timeout: float = 10) -> list[dict]:
    path = spec.workspace.metrics_history("endpoint")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = [json.loads(line) for line in path.read_text().splitlines()] if path.is_file() else []
        if len(rows) >= count:
            return rows
        time.sleep(0.05)
    raise AssertionError(f"fewer than {count} periods recorded in {timeout} s")


def test_metrics_are_counted_as_cloudwatch_publishes_them() -> None:
    metrics = EndpointMetrics()
    metrics.observe(200, total_seconds=0.003, model_seconds=0.001)
    metrics.observe(400, total_seconds=0.001, model_seconds=0.0005)
    metrics.observe(503, total_seconds=0.002, model_seconds=0.001)
    values = metrics.close_period().values()
    assert values == {"Invocations": 3, "Invocation4XXErrors": 1, "Invocation5XXErrors": 1, "CaptureFailures": 0,
                      "ModelLatency": 833.3, "OverheadLatency": 1166.7}  # averages, microseconds
    assert Period().values() == {"Invocations": 0, "Invocation4XXErrors": 0, "Invocation5XXErrors": 0,
                                 "CaptureFailures": 0}  # no traffic: latencies are missing, not zero


def test_error_rates_are_metric_math_and_missing_without_traffic(tmp_path: Path) -> None:
    rates = {a.key: a for a in alarms(spec_for(tmp_path)) if a.source == "endpoint"}
    assert datapoint(rates["error_4xx_rate"], {"Invocations": 8, "Invocation4XXErrors": 2}) == 25.0
    assert datapoint(rates["error_5xx_rate"], {"Invocations": 0, "Invocation5XXErrors": 0}) is None
    assert datapoint(rates["model_latency"], {"ModelLatency": 1500.0}) == 1500.0


def test_the_endpoint_alarms_fire_and_clear_per_period_as_on_aws(tmp_path: Path, model_tar: Path) -> None:
    spec = spec_for(tmp_path)
    url, server, thread = serve(spec, model_tar, (tmp_path / "capture").as_uri(), period=0.5)
    try:
        result = send_all(lambda: http_caller(url), [Request(b"1,2", "text/csv")] * 8 + [Request(ROW, "text/csv")] * 2)
        assert result.statuses == {400: 8, 200: 2}
        time.sleep(0.6)
        send_all(lambda: http_caller(url), [Request(ROW, "text/csv")] * 5)
        rows = wait_for_periods(spec, 4)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    periods = [row["metrics"] for row in rows]
    assert sum(p["Invocations"] for p in periods) == 15 and sum(p["Invocation4XXErrors"] for p in periods) == 8
    assert all(p["ModelLatency"] > 0 and p["OverheadLatency"] >= 0 for p in periods if p["Invocations"])
    name = spec.names.alarm("error-4xx-rate")
    changes = [(e.alarm, e.new) for e in read_alarm_log(spec.workspace.alarm_log)]
    # The period with the bad requests breaches; any later one (clean, or without traffic: missing
    # data, notBreaching) puts it back to OK, as CloudWatch would.
    assert (name, "OK") in changes[changes.index((name, "ALARM")):]
    assert (spec.names.alarm("error-5xx-rate"), "ALARM") not in changes
    assert read_alarm_states(spec.workspace.alarm_states)[name] == "OK"


def test_capture_failures_are_counted_alarmed_and_shown(tmp_path: Path, model_tar: Path) -> None:
    spec = spec_for(tmp_path)
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    url, server, thread = serve(spec, model_tar, blocker.as_uri(), period=0.5)
    try:
        result = send_all(lambda: http_caller(url), [Request(ROW, "text/csv")] * 3)
        wait_for_periods(spec, 2)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    assert result.statuses == {503: 3}  # on_failure: fail (the default) never acknowledges an uncaptured request
    shown = summary(spec)
    assert shown["capture_failures"] == 3
    alarm = capture_alarm(spec)
    assert alarm is not None and read_alarm_states(spec.workspace.alarm_states)[alarm.name] in ("ALARM", "OK")
    assert (alarm.name, "ALARM") in [(e.alarm, e.new) for e in read_alarm_log(spec.workspace.alarm_log)]


def test_the_capture_alarm_is_where_the_handler_captures(tmp_path: Path) -> None:
    local = spec_for(tmp_path)
    serverless = replace(local, environment=replace(local.environment, name="dev", target="aws"))
    realtime = replace(serverless, endpoint=replace(serverless.endpoint, serverless=None,
                                                    realtime=RealtimeEndpoint()))
    names = [{a.key for a in alarms(spec)} for spec in (local, serverless, realtime)]
    assert ["capture_failures" in found for found in names] == [True, True, False]  # SageMaker captures realtime
