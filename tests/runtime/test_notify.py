"""Alarm log lines and webhook deliveries, against a real HTTP receiver on loopback."""

from __future__ import annotations

import json
from pathlib import Path

from fraudspec.monitoring.alarms.evaluate import Transition
from fraudspec.monitoring.alarms.notify import notify, record
from fraudspec.spec.model import NotifyTarget

TRANSITION = Transition("drift-amount", "feature_baseline_drift_amount", "OK", "ALARM", "0.31 > 0.1")


def test_record_appends_json_lines(tmp_path: Path) -> None:
    log_file = tmp_path / "alarms.jsonl"
    record([TRANSITION], log_file, "2026-11-22T05:00:00Z", "ep")
    record([TRANSITION], log_file, "2026-11-22T06:00:00Z", "ep")
    lines = [json.loads(line) for line in log_file.read_text().splitlines()]
    assert [line["time"] for line in lines] == ["2026-11-22T05:00:00Z", "2026-11-22T06:00:00Z"]
    assert lines[0]["new"] == "ALARM" and lines[0]["alarm"] == "drift-amount" and lines[0]["endpoint"] == "ep"


def test_webhook_receives_each_event(tmp_path: Path, receiver, monkeypatch) -> None:
    url, received = receiver
    monkeypatch.setenv("FRAUD_HOOK", url)
    events = record([TRANSITION], tmp_path / "alarms.jsonl", "t", "ep")
    failures = notify(events, [NotifyTarget(email="a@example.com"), NotifyTarget(webhook="${env:FRAUD_HOOK}")])
    assert failures == 0 and received == events


def test_unset_or_unreachable_webhook_is_counted_not_raised(monkeypatch) -> None:
    monkeypatch.delenv("NOT_SET_HOOK", raising=False)
    monkeypatch.setenv("DEAD_HOOK", "http://127.0.0.1:9/nothing-listens")
    events = [{"alarm": "a"}]
    assert notify(events, [NotifyTarget(webhook="${env:NOT_SET_HOOK}"), NotifyTarget(webhook="${env:DEAD_HOOK}")]) == 2
