"""Alarm notifications of the local runtime: the alarm log and webhook POSTs.

Every state change is appended to the workspace's `alarms.jsonl` first (the record of truth), then
POSTed as JSON to each webhook target. A webhook that is unset, not https (fraudspec.spec.webhooks),
unreachable or failing is logged and skipped: a notification failure never stops monitoring. Logs
name the webhook's variable, never its URL (which may carry a token); redirects are not followed.
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
from fraudspec.spec.webhooks import url_problem

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
        problem = url_problem(url, local=True)
        if problem:
            log.error("webhook %s %s; %d notification(s) not sent", target.webhook, problem, len(events))
            failures += len(events)
            continue
        for event in events:
            failures += not _post(url, event, str(target.webhook))
    return failures


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect could lead the POST (and the URL's token) to another scheme or host: refuse it."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def _post(url: str, event: dict, name: str) -> bool:
    body = json.dumps(event, sort_keys=True).encode()
    request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "application/json"})
    try:
        with _OPENER.open(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as response:
            if 200 <= response.status < 300:
                return True
            why = f"HTTP {response.status}"
    except urllib.error.HTTPError as exc:
        why = f"HTTP {exc.code}"
    except Exception as exc:  # any failure is the receiver's or the network's: logged, never raised
        reason = getattr(exc, "reason", None)
        why = type(exc).__name__ + (f" ({reason})" if isinstance(reason, (str, OSError)) else "")
    log.error("webhook %s: delivery of alarm %s failed: %s", name, event.get("alarm"), why.replace(url, "<url>"))
    return False
