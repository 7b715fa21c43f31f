"""Alarm notifications of the local runtime: the alarm log and webhook POSTs.

Every state change is appended to `build/local/alarms.jsonl` first (the record of truth), then
POSTed as JSON to each webhook target. A webhook that is unset or unreachable is logged and
skipped: a notification failure never stops monitoring.
"""

from __future__ import annotations

import json
import logging
import os
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from fraudspec.core import jsonfile
from fraudspec.monitoring.alarms.evaluate import Transition
from fraudspec.spec.model import NotifyTarget

log = logging.getLogger("fraudspec.alarms")
WEBHOOK_TIMEOUT_SECONDS = 5


def record(transitions: Sequence[Transition], log_file: Path, at: str, endpoint: str) -> list[dict]:
    """Appends each transition as one JSON line (flushed and fsynced) and returns the events."""
    events = [{"time": at, "endpoint": endpoint, **asdict(transition)} for transition in transitions]
    if not events:
        return events
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with open(log_file, "a", encoding="utf-8") as handle:
        for event in events:
            handle.write(jsonfile.line(event))
        handle.flush()
        os.fsync(handle.fileno())
    return events


def notify(events: Sequence[dict], targets: Sequence[NotifyTarget]) -> int:
    """POSTs each event to each webhook target; returns how many deliveries failed."""
    failures = 0
    for target in targets:
        if target.webhook is None:
            continue  # email and SNS targets exist only on AWS
        url = os.environ.get(target.webhook_variable or "", "")
        if not url:
            log.error(
                "webhook %s is not set in this environment; %d notification(s) not sent", target.webhook, len(events)
            )
            failures += len(events)
            continue
        for event in events:
            failures += not _post(url, event)
    return failures


def _post(url: str, event: dict) -> bool:
    body = json.dumps(event, sort_keys=True).encode()
    request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as response:
            return 200 <= response.status < 300
    except (urllib.error.URLError, OSError, ValueError) as exc:
        log.error("webhook delivery of alarm %s failed: %s", event.get("alarm"), exc)
        return False
