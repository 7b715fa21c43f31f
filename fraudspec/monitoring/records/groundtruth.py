"""Ground-truth JSON Lines, SageMaker's format, read and written.

    {"groundTruthData": {"data": "1", "encoding": "CSV"}, "eventMetadata": {"eventId": "..."}, "eventVersion": "0"}

`eventId` holds the capture's inferenceId when the request had one, else the capture's eventId.
A label is 0 or 1 (also written 0.0/1.0 or true/false). A record for a batch request holds one
label per row, in the request's order: CSV `"1,0,1"` (or one per line), or a JSON list `[1, 0, 1]`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from fraudspec.monitoring.records.blocks import CaptureBlock
from fraudspec.monitoring.records.lines import (
    Malformed,
    Skipped,
    join_key,
    json_object,
    numbered_lines,
    parse_json,
    payload_text,
)

_TRUE, _FALSE = frozenset({"1", "1.0", "true"}), frozenset({"0", "0.0", "false"})


@dataclass(frozen=True)
class LabelRecord:
    key: str  # matches a capture's inferenceId, else its eventId
    labels: tuple[int, ...]  # one per row of the request


@dataclass(frozen=True)
class LabelData:
    records: tuple[LabelRecord, ...]  # in reading order: hour, file name, line
    lines: int
    malformed: int
    malformed_examples: tuple[str, ...]


def read_labels(blocks: Iterable[CaptureBlock]) -> LabelData:
    records, skipped, lines = [], Skipped(), 0
    for line in numbered_lines(blocks):
        lines += 1
        try:
            record = json_object(line)
            text, encoding = payload_text(record.get("groundTruthData"), "groundTruthData")
            records.append(LabelRecord(join_key(record), _labels(text, encoding)))
        except Malformed as reason:
            skipped.add(line, reason)
    return LabelData(tuple(records), lines, skipped.count, tuple(skipped.examples))


def ground_truth_line(key: str, labels: Sequence[int]) -> str:
    """One record, compact, as SageMaker's documentation shows it."""
    record = {"groundTruthData": {"data": ",".join(str(int(label)) for label in labels), "encoding": "CSV"},
              "eventMetadata": {"eventId": key}, "eventVersion": "0"}
    return json.dumps(record, separators=(",", ":"))


def _labels(text: str, encoding: str) -> tuple[int, ...]:
    if encoding == "JSON":
        payload = parse_json(text, "groundTruthData.data")
        tokens: list[Any] = payload if isinstance(payload, list) else [payload]
    else:
        tokens = [token for row in text.splitlines() for token in row.split(",")]
    labels = tuple(_label(token) for token in tokens)
    if not labels:
        raise Malformed("groundTruthData.data holds no label")
    return labels


def _label(token: Any) -> int:
    text = json.dumps(token) if isinstance(token, (bool, int, float)) else token
    if isinstance(text, str):
        text = text.strip().lower()
        if text in _TRUE:
            return 1
        if text in _FALSE:
            return 0
    raise Malformed(f"label {token!r} is not 0 or 1")
