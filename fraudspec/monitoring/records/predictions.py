"""Captured predictions: each capture record's join key and the fraud probabilities in its endpointOutput.

The handler answers `{"is_fraud": 0|1, "fraud_probability": p, "confidence": c}` (JSON; a list of
them for a batch) or `is_fraud,fraud_probability,confidence` CSV rows. A bare probability (a JSON
number or list of numbers, a one-column CSV row) is read too, as SageMaker's own examples capture
it. One record holds as many predictions as its request had rows. A record without a readable
output, a join key or probabilities in [0, 1] is skipped and counted.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
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

PROBABILITY = "fraud_probability"
_FRAUDSPEC_CSV_COLUMNS = 3  # is_fraud,fraud_probability,confidence


@dataclass(frozen=True)
class Prediction:
    key: str  # inferenceId when the caller gave one, else eventId
    probabilities: tuple[float, ...]  # one per row of the request


@dataclass(frozen=True)
class PredictionData:
    records: tuple[Prediction, ...]
    lines: int  # non-blank lines read
    malformed: int
    malformed_examples: tuple[str, ...]


def read_predictions(blocks: Iterable[CaptureBlock]) -> PredictionData:
    records, skipped, lines = [], Skipped(), 0
    for line in numbered_lines(blocks):
        lines += 1
        try:
            record = json_object(line)
            capture = record.get("captureData")
            output = capture.get("endpointOutput") if isinstance(capture, dict) else None
            records.append(Prediction(join_key(record), _probabilities(output)))
        except Malformed as reason:
            skipped.add(line, reason)
    return PredictionData(tuple(records), lines, skipped.count, tuple(skipped.examples))


def _probabilities(output: Any) -> tuple[float, ...]:
    text, encoding = payload_text(output, "captureData.endpointOutput")
    values = _from_json(parse_json(text, "the output")) if encoding == "JSON" else _from_csv(text)
    if not values:
        raise Malformed("the output holds no prediction")
    if not all(0.0 <= value <= 1.0 for value in values):
        raise Malformed("a fraud probability is outside [0, 1]")
    return values


def _from_json(payload: Any) -> tuple[float, ...]:
    items = payload if isinstance(payload, list) else [payload]
    return tuple(_number(item[PROBABILITY] if isinstance(item, dict) and PROBABILITY in item else item)
                 for item in items)


def _from_csv(text: str) -> tuple[float, ...]:
    values = []
    for row in text.splitlines():
        if not row.strip():
            continue
        cells = row.split(",")
        if len(cells) not in (1, _FRAUDSPEC_CSV_COLUMNS):
            raise Malformed(f"a CSV output row has {len(cells)} columns; expected 1 (a probability) or 3 "
                            "(is_fraud,fraud_probability,confidence)")
        values.append(_number(cells[0] if len(cells) == 1 else cells[1]))
    return tuple(values)


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise Malformed(f"no fraud probability in the output (found {str(value)[:40]!r})")
    try:
        number = float(value)
    except ValueError:
        raise Malformed(f"fraud probability {value!r} is not a number") from None
    if not math.isfinite(number):
        raise Malformed(f"fraud probability {value!r} is not finite")
    return number
