"""The local alarm files, read with located errors: `alarms.jsonl` (one state change a line),
`alarm-state.json` (each alarm's state), and the runs' metric histories (JSON Lines).

Light on purpose (json only): `fraudspec status` reads these without loading the engine.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fraudspec.core import jsonfile
from fraudspec.core.errors import FraudspecError, Location
from fraudspec.core.jsonfile import DocumentError
from fraudspec.monitoring.alarms.evaluate import STATES, State

ALARM_EVENT_KEYS = ("time", "endpoint", "alarm", "metric", "old", "new", "reason")
RESET_HINT = "the local runtime writes this file; delete it to reset"


@dataclass(frozen=True)
class AlarmEvent:
    """One alarm state change, a line of alarms.jsonl."""

    time: str
    endpoint: str
    alarm: str
    metric: str
    old: str
    new: str
    reason: str


def read_json_lines(path: Path, what: str, hint: str) -> list[tuple[int, dict[str, Any]]]:
    """Every line of a JSON Lines file as (line number, object); a broken line is an error naming file:line."""
    if not path.is_file():
        return []
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as error:
            raise FraudspecError(f"{what}: line is not JSON: {error}", location=Location(str(path), number),
                                 hint=hint) from None
        if not isinstance(row, dict):
            raise FraudspecError(f"{what}: line is not a JSON object", location=Location(str(path), number), hint=hint)
        rows.append((number, row))
    return rows


def read_alarm_log(path: Path) -> tuple[AlarmEvent, ...]:
    if not path.is_file():
        return ()
    hint = "the local runtime appends these lines; remove the broken one"
    events = []
    for number, row in read_json_lines(path, "alarm log", hint):
        try:
            events.append(AlarmEvent(*(jsonfile.get(row, key, str, "alarm event") for key in ALARM_EVENT_KEYS)))
        except DocumentError as error:
            raise FraudspecError(f"alarm log line is not an alarm event: {error}",
                                 location=Location(str(path), number), hint=hint) from None
    return tuple(events)


def read_alarm_states(path: Path) -> Mapping[str, State]:
    if not path.is_file():
        return {}
    document = jsonfile.load(path, "alarm states", RESET_HINT)
    if not isinstance(document, dict) or not all(v in STATES for v in document.values()):
        raise FraudspecError(f"alarm states must be an object of alarm name to one of {', '.join(STATES)}",
                             location=Location(str(path)), hint=RESET_HINT)
    return dict(document)
