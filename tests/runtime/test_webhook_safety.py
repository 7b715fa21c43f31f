"""Webhook URLs are https-only (plain http only to loopback on the local target), never logged, and
a notification failure never fails a run; a run that dies while recording never counts data twice."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from fraudspec.cli.main import main
from fraudspec.monitoring.alarms import notify
from fraudspec.runtime import local
from fraudspec.runtime.monitoring import run_since_last
from fraudspec.spec.load import load_spec
from fraudspec.spec.model import NotifyTarget
from fraudspec.spec.webhooks import url_problem
from tests.monitoring.conftest import capture_line, write_capture

SECRET = "tok3n-s3cret-value"
TARGET = NotifyTarget(webhook="${env:FRAUD_HOOK}")
EVENTS = [{"alarm": "drift-amount", "new": "ALARM"}]


@pytest.mark.parametrize(("url", "local", "allowed"), [
    ("https://hooks.example.com/x", False, True),
    ("http://127.0.0.1:8000/x", True, True),
    ("http://localhost/x", True, True),
    ("http://127.0.0.1:8000/x", False, False),
    ("http://hooks.example.com/x", True, False),
    (f"hooks.example.com/{SECRET}", True, False),
    ("file:///etc/passwd", True, False),
    ("https:///no-host", True, False),
    ("ftp://hooks.example.com/x", True, False),
])
def test_only_https_urls_receive_alarms(url: str, local: bool, allowed: bool) -> None:
    problem = url_problem(url, local)
    assert (problem is None) == allowed
    assert SECRET not in (problem or "")


@pytest.mark.parametrize("url", [f"hooks.example.com/{SECRET}", f"file:///tmp/{SECRET}",
                                 f"http://192.0.2.1/{SECRET}", f"https://127.0.0.1:9/{SECRET}"])
def test_a_bad_or_dead_webhook_is_counted_and_logged_without_its_url(url: str, monkeypatch, caplog) -> None:
    monkeypatch.setenv("FRAUD_HOOK", url)
    with caplog.at_level(logging.ERROR, logger="fraudspec.alarms"):
        assert notify.notify(EVENTS, [TARGET]) == 1
    assert caplog.records and SECRET not in caplog.text and "${env:FRAUD_HOOK}" in caplog.text


def test_a_redirect_is_not_followed(monkeypatch, caplog) -> None:
    hits: list[str] = []

    class Redirect(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            hits.append(self.path)
            self.send_response(307)
            self.send_header("Location", "/elsewhere")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Redirect)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        monkeypatch.setenv("FRAUD_HOOK", f"http://127.0.0.1:{server.server_port}/hook")
        assert notify.notify(EVENTS, [TARGET]) == 1
    finally:
        server.shutdown()
    assert hits == ["/hook"] and "HTTP 307" in caplog.text


def test_monitor_run_refuses_a_file_url_with_a_located_error(local_project, monkeypatch, capsys) -> None:
    path = local_project()
    monkeypatch.setenv("FRAUDSPEC_TEST_WEBHOOK", f"file:///tmp/{SECRET}")
    assert main(["monitor", "run", "--spec", str(path), "--env", "local"]) == 1
    said = "".join(capsys.readouterr())
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "FRAUDSPEC_TEST_WEBHOOK" in text)
    assert f"{path}:{line}:" in said and "FS502" in said and SECRET not in said


def test_a_crash_while_recording_never_counts_the_same_data_twice(local_project, monkeypatch) -> None:
    monkeypatch.setenv("FRAUDSPEC_TEST_WEBHOOK", "https://127.0.0.1:9/hook")
    spec = load_spec(local_project(), "local")
    local.prepare(spec, progress=False)
    hour = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0)
    write_capture(spec.workspace.capture, hour, [capture_line(f"{i % 4},{i}.5,3,80.0,{i}.25") for i in range(40)],
                  endpoint=spec.names.endpoint)

    def crash(*args, **kwargs):
        raise RuntimeError("killed while writing the alarm log")

    with monkeypatch.context() as patch:
        patch.setattr(notify, "record", crash)
        with pytest.raises(RuntimeError):
            run_since_last(spec)
    again = run_since_last(spec)
    assert again.result.counts.rows == 0, "the crashed run's rows were committed before recording"
    history = spec.workspace.metrics_history("data").read_text().splitlines()
    assert len(history) == 2, "one datapoint per run, none repeated"
