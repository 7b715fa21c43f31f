"""Request bodies in, response bodies out; every bad request becomes a `PayloadError`.

Requests (Content-Type):
    application/json   {"amount": 12.5, ...}                 one record  -> one result object
                       [{"amount": 12.5, ...}, ...]          a batch     -> a list of results
                       {"instances": [[12.5, ...], ...]}     a batch, values in feature order
                                                             (objects keyed by name work too)
    text/csv           rows in feature order, no header      one row -> one object, more -> a list
    JSON null or an empty CSV field is a missing value. Numeric features take numbers only;
    categorical ones take strings (integers are read as their decimal text).

Responses (Accept): application/json (also for */* or no Accept) or text/csv.
    {"is_fraud": 0|1, "fraud_probability": p, "confidence": c}
    is_fraud = p >= decision threshold; confidence = the probability of the returned class.
    CSV: one line "is_fraud,fraud_probability,confidence" per record, no header.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .predictor import Encoder

MAX_BYTES = 6 * 1024 * 1024  # SageMaker's invocation payload limit
JSON = "application/json"
CSV = "text/csv"


class PayloadError(ValueError):
    """A request the caller must fix. Servers answer HTTP `status` with `str(error)` as the message."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Records:
    """Parsed request: one raw row per record (see predictor.Encoder), and whether it was one record."""

    raw: np.ndarray
    single: bool


@dataclass(frozen=True)
class Prediction:
    fraud_probability: np.ndarray
    threshold: float
    single: bool


def media_type(header: str | None) -> str:
    """"Application/JSON; charset=utf-8" -> "application/json"."""
    return (header or "").split(";", 1)[0].strip().lower()


def parse(body: bytes | bytearray | memoryview | str, content_type: str | None, encoder: Encoder) -> Records:
    kind = media_type(content_type) or JSON
    if kind not in (JSON, CSV):
        raise PayloadError(f"unsupported Content-Type {content_type!r}; send {JSON} or {CSV}", status=415)
    if isinstance(body, (bytearray, memoryview)):  # the inference toolkit hands bodies over as bytearray
        body = bytes(body)
    size = len(body.encode("utf-8")) if isinstance(body, str) else len(body)
    if size > MAX_BYTES:
        raise PayloadError(f"payload is {size} bytes, over the {MAX_BYTES}-byte (6 MB) limit", status=413)
    if isinstance(body, bytes):
        try:
            body = body.decode("utf-8")
        except UnicodeDecodeError as error:
            raise PayloadError(f"body is not UTF-8 text: {error}") from None
    if not body.strip():
        raise PayloadError("empty body: send at least one record")
    return _parse_json(body, encoder) if kind == JSON else _parse_csv(body, encoder)


def _parse_json(text: str, encoder: Encoder) -> Records:
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except ValueError as error:
        raise PayloadError(f"malformed JSON: {error}") from None
    except RecursionError:
        raise PayloadError("malformed JSON: nested too deeply") from None
    if isinstance(document, dict) and "instances" in document and "instances" not in encoder.names:
        instances = document["instances"]
        if not isinstance(instances, list):
            raise PayloadError('"instances" must be a list of records')
        return Records(_rows(instances, encoder, positional_ok=True, single=False), single=False)
    if isinstance(document, dict):
        return Records(_rows([document], encoder, positional_ok=False, single=True), single=True)
    if isinstance(document, list):
        return Records(_rows(document, encoder, positional_ok=False, single=False), single=False)
    raise PayloadError('expected a JSON object keyed by feature name, a list of them, or {"instances": [...]}')


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not valid JSON")


def _rows(records: list, encoder: Encoder, *, positional_ok: bool, single: bool) -> np.ndarray:
    if not records:
        raise PayloadError("no records: the batch is empty")
    raw = np.empty((len(records), len(encoder.names)))
    for i, record in enumerate(records):
        where = "record" if single else f"record {i}"
        if isinstance(record, dict):
            values = _keyed(record, encoder.names, where)
        elif positional_ok and isinstance(record, list):
            if len(record) != len(encoder.names):
                raise PayloadError(
                    f"{where} has {len(record)} values, expected {len(encoder.names)} ({', '.join(encoder.names)})"
                )
            values = record
        else:
            expected = "an object or a list of values" if positional_ok else "an object keyed by feature name"
            raise PayloadError(f"{where} must be {expected}, got {type(record).__name__}")
        for j, (name, value) in enumerate(zip(encoder.names, values)):
            raw[i, j] = _json_value(value, name, encoder, where)
    return raw


def _keyed(record: dict, names: tuple[str, ...], where: str) -> list:
    if len(record) != len(names) or any(name not in record for name in names):
        missing = [name for name in names if name not in record]
        unknown = sorted(set(record) - set(names))
        problems = []
        if missing:
            problems.append("missing feature(s) " + ", ".join(map(repr, missing)))
        if unknown:
            problems.append("unknown feature(s) " + ", ".join(map(repr, unknown)))
        raise PayloadError(f"{where}: {'; '.join(problems)}; expected exactly: {', '.join(names)}")
    return [record[name] for name in names]


def _json_value(value: object, name: str, encoder: Encoder, where: str) -> float:
    if value is None:
        return math.nan
    if name in encoder.categorical:
        if isinstance(value, str):
            return encoder.code(name, value)
        if isinstance(value, int) and not isinstance(value, bool):
            return encoder.code(name, str(value))
        raise PayloadError(f"{where}, feature {name!r}: expected a category (string), got {json.dumps(value)}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            number = float(value)
        except OverflowError:  # an integer beyond float range
            number = math.inf
        if math.isfinite(number):  # JSON reads 1e999 as inf
            return number
    raise PayloadError(f"{where}, feature {name!r}: expected a finite number, got {json.dumps(value)}")


def _parse_csv(text: str, encoder: Encoder) -> Records:
    names = encoder.names
    try:
        rows = [row for row in csv.reader(io.StringIO(text), strict=True) if row]
    except csv.Error as error:
        raise PayloadError(f"malformed CSV: {error}") from None
    if not rows:
        raise PayloadError("empty body: send at least one CSV row")
    raw = np.empty((len(rows), len(names)))
    for i, row in enumerate(rows, start=1):
        if len(row) != len(names):
            raise PayloadError(f"CSV row {i} has {len(row)} columns, expected {len(names)}: {','.join(names)}")
        for j, (name, text_value) in enumerate(zip(names, row)):
            raw[i - 1, j] = _csv_value(text_value.strip(), name, encoder, i, j + 1)
    return Records(raw, single=len(rows) == 1)


def _csv_value(text: str, name: str, encoder: Encoder, row: int, column: int) -> float:
    if not text:
        return math.nan
    if name in encoder.categorical:
        return encoder.code(name, text)
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise PayloadError(f"CSV row {row}, column {column} ({name!r}): {text!r} is not a finite number")
    return value


def render(prediction: Prediction, accept: str | None) -> tuple[str, str]:
    """The response body and its content type, in the first supported type the Accept header lists."""
    kind = _accepted(accept)
    p = prediction.fraud_probability
    fraud = p >= prediction.threshold
    confidence = np.where(fraud, p, 1.0 - p)
    if kind == CSV:
        lines = (f"{int(f)},{float(q)!r},{float(c)!r}\n" for f, q, c in zip(fraud, p, confidence))
        return "".join(lines), CSV
    results = [
        {"is_fraud": int(f), "fraud_probability": float(q), "confidence": float(c)}
        for f, q, c in zip(fraud, p, confidence)
    ]
    return json.dumps(results[0] if prediction.single else results), JSON


def _accepted(accept: str | None) -> str:
    offered = [media_type(part) for part in (accept or "").split(",")]
    for kind in offered:
        if kind in ("", "*/*", "application/*", JSON):
            return JSON
        if kind in ("text/*", CSV):
            return CSV
    raise PayloadError(f"cannot answer in {accept!r}; Accept {JSON} or {CSV}", status=406)
