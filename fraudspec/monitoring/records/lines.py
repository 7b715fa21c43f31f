"""The one reader of capture and ground-truth JSON Lines: numbered lines, join keys, payloads, skipped lines.

Both streams key a record by `eventMetadata.inferenceId` when present, else `eventMetadata.eventId`
(SageMaker's rule; a ground-truth record may carry the capture's inferenceId in either field).
Payloads are `{"data": ..., "encoding": "CSV" | "JSON" | "BASE64"}`; BASE64 is read as JSON when
the observed content type says JSON or the text starts with '{' or '[', else as CSV.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from fraudspec.monitoring.records.blocks import CaptureBlock

MALFORMED_EXAMPLES = 5
TOO_DEEP = "JSON nested too deeply to read"
# Capture and label records nest a few levels; json's parser recurses once per level, up to whatever
# the interpreter's recursion limit is, so depth is bounded here, before parsing.
MAX_JSON_DEPTH = 64
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(rb"[\[\]{}]")


class Malformed(ValueError):
    """Why one line was skipped."""


@dataclass(frozen=True)
class Line:
    source: str  # the file or s3:// object
    number: int  # 1-based, within the source
    data: bytes


class LineNumbers:
    """Where each block starts, counting every line (blank ones too) from 1 in each source; a
    source's blocks arrive in order, so numbering continues across them."""

    def __init__(self) -> None:
        self.source, self.next = "", 1

    def first(self, block: CaptureBlock) -> int:
        if block.source != self.source:
            self.source, self.next = block.source, 1
        first = self.next
        self.next += block.data.count(b"\n") + (not block.data.endswith(b"\n"))
        return first

    def skip(self, block: CaptureBlock, lines: int) -> None:
        """Passes a block its reader has counted: `lines` lines, none of them blank (counting a large
        block's newlines costs as much as a fast reader's parsing)."""
        if block.source != self.source:
            self.source, self.next = block.source, 1
        self.next += lines


def block_lines(block: CaptureBlock, first: int) -> Iterator[Line]:
    """The block's non-blank lines, numbered from `first`."""
    pieces = block.data.split(b"\n")
    if block.data.endswith(b"\n"):
        pieces.pop()
    for number, data in enumerate(pieces, start=first):
        if data.strip():
            yield Line(block.source, number, data)


def numbered_lines(blocks: Iterable[CaptureBlock]) -> Iterator[Line]:
    """Every non-blank line of the blocks, numbered within its source."""
    numbers = LineNumbers()
    for block in blocks:
        yield from block_lines(block, numbers.first(block))


def too_deep(data: bytes) -> bool:
    """Whether JSON text nests deeper than MAX_JSON_DEPTH (brackets inside strings do not count)."""
    if data.count(b"[") + data.count(b"{") <= MAX_JSON_DEPTH:
        return False
    depth = 0
    for bracket in _BRACKET.finditer(_JSON_STRING.sub(b"", data)):
        depth += 1 if bracket.group() in (b"[", b"{") else -1
        if depth > MAX_JSON_DEPTH:
            return True
    return False


def json_object(line: Line) -> dict[str, Any]:
    if too_deep(line.data):
        raise Malformed(TOO_DEEP)
    try:
        record = json.loads(line.data)
    except (ValueError, UnicodeDecodeError):
        raise Malformed("not a JSON record") from None
    except RecursionError:  # json's C parser recurses once per level: a hostile line must not crash the run
        raise Malformed(TOO_DEEP) from None
    if not isinstance(record, dict):
        raise Malformed("not a JSON object")
    return record


def join_key(record: dict[str, Any]) -> str:
    metadata = record.get("eventMetadata")
    if not isinstance(metadata, dict):
        raise Malformed("no eventMetadata")
    for name in ("inferenceId", "eventId"):
        value = metadata.get(name)
        if isinstance(value, str) and value:
            return value
    raise Malformed("eventMetadata has neither inferenceId nor eventId")


def payload_text(payload: Any, where: str) -> tuple[str, str]:
    """(text, "CSV" or "JSON") of a `{"data", "encoding"}` payload."""
    if not isinstance(payload, dict) or not isinstance(payload.get("data"), str):
        raise Malformed(f"no {where}.data")
    text, encoding = payload["data"], payload.get("encoding")
    if encoding == "BASE64":
        try:
            text = base64.b64decode(text, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise Malformed(f"{where} is BASE64 that does not decode to UTF-8 text") from None
        content_type = str(payload.get("observedContentType", "")).lower()
        encoding = "JSON" if "json" in content_type or text.lstrip()[:1] in ("{", "[") else "CSV"
    if encoding not in ("CSV", "JSON"):
        raise Malformed(f"{where} has unknown encoding {encoding!r}")
    return text, encoding


def parse_json(text: str, where: str) -> Any:
    if too_deep(text.encode("utf-8", "surrogatepass")):
        raise Malformed(f"{where}: {TOO_DEEP}")
    try:
        return json.loads(text)
    except ValueError:
        raise Malformed(f"{where} is JSON that does not parse") from None
    except RecursionError:
        raise Malformed(f"{where}: {TOO_DEEP}") from None


@dataclass
class Skipped:
    """Lines skipped, with "source:line: reason" for the first few."""

    count: int = 0
    examples: list[str] = field(default_factory=list)

    def add(self, line: Line, reason: Malformed) -> None:
        self.count += 1
        if len(self.examples) < MALFORMED_EXAMPLES:
            self.examples.append(f"{line.source}:{line.number}: {reason}")
