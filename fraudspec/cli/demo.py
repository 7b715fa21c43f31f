"""`make demo`: the seeds' five manual steps, on this machine, narrated and checked.

In a temporary copy of the example project (so your own build/ and runtime are left alone):
apply local, send 500 normal transactions with their ground truth, run data- and model-quality
monitoring (no violations), send 500 drifted ones (amount x3) whose labels are degraded (30 %
flipped), run monitoring again (drift on amount only, its alarm fires; model quality degrades,
its alarm fires; a webhook receives both), show the drift report, destroy. Exits 1 when any of
those outcomes is not what it says.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import ClassVar

import yaml

from fraudspec.cli.main import main as fraudspec
from fraudspec.spec.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]
WEBHOOK_VARIABLE = "FRAUDSPEC_DEMO_WEBHOOK"
DRIFT = "amount=x3"
LABEL_NOISE = "0.3"
STEPS = 9
BAD_REQUESTS = 40  # of 540 requests in the period: 7 %, over the spec's 1 % 4xx-rate alarm


class _Receiver(BaseHTTPRequestHandler):
    received: ClassVar[list[dict]] = []

    def do_POST(self) -> None:
        _Receiver.received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        """Quiet: the demo narrates what arrives."""


SPEC_FILE = "fraud-detection.yaml"


def _project(directory: Path) -> Path:
    spec = yaml.safe_load((ROOT / "specs" / "fraud-detection.yaml").read_text())
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    spec["environments"] = {"local": {"target": "local", "port": port}}
    spec.setdefault("alarms", {}).setdefault("notify", []).append({"webhook": f"${{env:{WEBHOOK_VARIABLE}}}"})
    spec["alarms"]["evaluation_periods"] = 1  # the endpoint alarms decide on one 60 s period
    path = directory / "specs" / SPEC_FILE
    path.parent.mkdir(parents=True)
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    return path


def _step(number: int, text: str, *argv: str, expect: int = 0) -> None:
    """Runs one command; `expect` 3 where the step is meant to find violations (the exit code CI gates on)."""
    print(f"\n=== {number}/{STEPS} {text}\n$ fraudspec {' '.join(argv)}", flush=True)
    code = fraudspec(list(argv))
    if code != expect:
        raise SystemExit(f"demo failed: `fraudspec {' '.join(argv)}` exited {code}, not {expect}")


def _latest_summary(project: Path, schedule_suffix: str) -> dict:
    reports = Workspace.of(project, Path(SPEC_FILE), "local").reports
    summaries = sorted(reports.glob(f"*/*-{schedule_suffix}/*/*/*/*/execution_summary.json"))
    return json.loads(summaries[-1].read_text())


def _send_bad_requests(spec_path: str) -> None:
    """Malformed requests, as a broken client would send them: the endpoint's 4xx rate breaches."""
    from fraudspec.client.http import Request, http_caller, send_all
    from fraudspec.runtime import process
    from fraudspec.spec.load import load_spec

    info = process.running(load_spec(Path(spec_path), "local"))
    assert info is not None, "the runtime started in step 1"
    print(f"\n=== 2b send {BAD_REQUESTS} malformed requests (amount as text) straight to {info.url}", flush=True)
    result = send_all(lambda: http_caller(info.url), [Request(b'{"amount": "12.50"}')] * BAD_REQUESTS)
    _check(result.statuses == {400: BAD_REQUESTS}, f"all {BAD_REQUESTS} answered 400 with the reason")


def _await_endpoint_alarm(spec_path: str) -> None:
    """The 4xx-rate alarm fires when the alarm period holding the bad requests ends (60 s at most)."""
    print("\n=== 7b the endpoint's 4xx-rate alarm, evaluated at the end of its 60 s period", flush=True)
    deadline = time.monotonic() + 75
    while time.monotonic() < deadline and not any(
            e["metric"] == "Invocation4XXErrors" and e["new"] == "ALARM" for e in _Receiver.received):
        time.sleep(0.5)
    fraudspec(["status", "--spec", spec_path])
    _check(any(e["metric"] == "Invocation4XXErrors" and e["new"] == "ALARM" for e in _Receiver.received),
           "the webhook received the endpoint's 4xx-rate alarm")


def _check(condition: bool, message: str) -> None:
    print(f"  check: {message}: {'yes' if condition else 'NO'}")
    if not condition:
        raise SystemExit(f"demo failed: {message}")


def main() -> int:
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="fraudspec-demo-"))
    receiver = HTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    os.environ[WEBHOOK_VARIABLE] = f"http://127.0.0.1:{receiver.server_port}/alerts"
    spec = str(_project(work))
    try:
        _step(1, "apply: train the model, write the baseline, start the endpoint with capture",
              "apply", "--spec", spec, "--env", "local", "--no-progress")
        _step(2, "send 500 normal transactions, and their ground truth",
              "traffic", "--spec", spec, "--n", "500", "--seed", "1", "--ground-truth", "--no-progress")
        _send_bad_requests(spec)
        _step(3, "run data-quality monitoring: expect no violations", "monitor", "run", "--spec", spec)
        _check(_latest_summary(work, "data-quality")["violations"] == 0, "no violations on normal traffic")
        _step(4, "run model-quality monitoring: expect no violations", "monitor", "quality", "--spec", spec)
        _check(_latest_summary(work, "model-quality")["violations"] == 0, "model quality within its thresholds")
        _step(5, f"send 500 drifted transactions ({DRIFT}) whose labels are degraded ({LABEL_NOISE} flipped)",
              "traffic", "--spec", spec, "--n", "500", "--seed", "2", "--drift", DRIFT,
              "--ground-truth", "--label-noise", LABEL_NOISE, "--no-progress")
        _step(6, "run data-quality monitoring: expect drift on amount only, and its alarm (exit 3)",
              "monitor", "run", "--spec", spec, expect=3)
        drifted = {d["feature"] for d in _latest_summary(work, "data-quality")["drift"] if d["violated"]}
        _check(drifted == {"amount"}, f"drift flagged on amount only (flagged: {sorted(drifted) or 'none'})")
        _step(7, "run model-quality monitoring: expect a violation, and its alarm (exit 3)",
              "monitor", "quality", "--spec", spec, expect=3)
        _check(_latest_summary(work, "model-quality")["violations"] > 0, "model quality violates its thresholds")
        fired = {e["metric"] for e in _Receiver.received if e["new"] == "ALARM"}
        _check("feature_baseline_drift_amount" in fired, "the webhook received the amount drift alarm")
        _check(bool(fired & {"auc", "false_positive_rate"}), "the webhook received a model-quality alarm")
        _await_endpoint_alarm(spec)
        _step(8, "the drift report: violations, so exit 3", "drift", "--spec", spec, expect=3)
        _step(9, "destroy: stop the runtime", "destroy", "--spec", spec)
    finally:
        if Workspace.of(work, Path(SPEC_FILE), "local").runtime_info.exists():  # a failed step left it running
            fraudspec(["destroy", "--spec", spec])
        receiver.shutdown()
        shutil.rmtree(work, ignore_errors=True)
    print(f"\ndemo passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
