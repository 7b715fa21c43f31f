"""SageMaker data-capture JSON Lines in, a Table of the endpoint's input features out.

Each line is one record; its `captureData.endpointInput` holds the request as `data` in one of three
encodings: CSV (text), JSON (the JSON text) or BASE64 (bytes, read as JSON when the observed content
type says JSON or the text starts with '{' or '[', else as CSV). CSV rows map to features by position
(the spec's order); JSON payloads may be one object keyed by feature name, a list of such objects,
or `{"instances": [...]}` whose items are objects or positional lists; a record may hold several
rows. `endpointOutput` is not monitored. A line that cannot be read is counted and skipped
(fraudspec.monitoring.records.lines reads lines, payloads and encodings for every reader).

A block is read by the cheapest reader that reads it exactly as a whole: lines all in SageMaker's
own compact layout with a CSV input by one regular expression over the block (it accounts for
every byte of every line, so it reads only lines json.loads reads the same way; their inputs go to
the table in one piece); else column-wise by pyarrow's JSON reader (fraudspec.monitoring.records.columnar:
any key order or whitespace, JSON and BASE64 inputs, both cores); else line by line, which names
what is wrong with each line.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from fraudspec.monitoring.engine.table import ParsedRows, Table, TableBuilder, parse_csv_rows
from fraudspec.monitoring.records.blocks import CaptureBlock, read_ahead
from fraudspec.monitoring.records.columnar import InputColumns, read_inputs
from fraudspec.monitoring.records.lines import (
    Line,
    LineNumbers,
    Malformed,
    Skipped,
    block_lines,
    json_object,
    parse_json,
    payload_text,
)

# SageMaker's compact layout, the whole line: {"captureData":{"endpointInput":{...CSV input...}
# [,"endpointOutput":{...}]}[,"eventMetadata":{...}][,"eventVersion":"..."]} and its newline. Every
# line it matches is a JSON object json.loads reads with this input (no key can repeat, every string
# is valid JSON); any other line sends its block to the readers that parse JSON. Strings are printable
# ASCII without escapes (_TEXT), but for the output's data, which holds escaped JSON as often as not
# (_ESCAPED). The input group is the CSV text itself, one row holding a visible character. Every
# repetition is possessive: no string can end but at its closing quote, so nothing is ever retried
# (0.8 us a line of the benchmark, against 0.5 us for an expression that checked only the input).
PIECE_BYTES = 256 * 1024  # lines the expression matches between two chances for other threads to run
_TEXT = rb'[ !#-\[\]-~]*+'
_ESCAPED = _TEXT + rb'(?:\\(?:["\\/bfnrt]|u[0-9A-Fa-f]{4})' + _TEXT + rb')*+'
_COMPACT_CSV_LINE = re.compile(
    rb'\{"captureData":\{"endpointInput":\{"observedContentType":"' + _TEXT + rb'","mode":"INPUT",'
    rb'"data":"( *+[!#-\[\]-~]' + _TEXT + rb')","encoding":"CSV"\}'
    rb'(?:,"endpointOutput":\{"observedContentType":"' + _TEXT + rb'","mode":"' + _TEXT + rb'",'
    rb'"data":"' + _ESCAPED + rb'","encoding":"' + _TEXT + rb'"\})?+\}'
    rb'(?:,"eventMetadata":\{"' + _TEXT + rb'":"' + _TEXT + rb'"(?:,"' + _TEXT + rb'":"' + _TEXT + rb'")*+\})?+'
    rb'(?:,"eventVersion":"' + _TEXT + rb'")?+\}\r?+\n'
)


@dataclass(frozen=True)
class CaptureCounts:
    lines: int = 0  # non-blank lines read
    records: int = 0  # lines whose input was read
    rows: int = 0  # feature rows in those records (a record may hold a batch)
    malformed: int = 0  # lines skipped: not JSON, no input, unknown encoding, unreadable payload


@dataclass(frozen=True, eq=False)
class CaptureData:
    table: Table
    counts: CaptureCounts
    malformed_examples: tuple[str, ...]  # "file:line: reason" for the first few skipped lines


def read_capture(
    blocks: Iterable[CaptureBlock], features: Sequence[str], text_features: Iterable[str] = ()
) -> CaptureData:
    """Parse capture blocks (whole lines, in order) into a Table of `features`.

    Three threads share the work: one reads the next block (read_ahead), this one matches lines, and
    a parser types the previous block's CSV rows (pyarrow and numpy, which release the GIL). The
    expression holds the GIL while it runs, so it runs over pieces of about PIECE_BYTES: between
    them the parser gets the GIL to start its next call (over whole blocks it never did, and the
    thread gained nothing). Rows reach the table in block order."""
    with ThreadPoolExecutor(1, thread_name_prefix="capture-parse") as parser:
        reader = _Reader(TableBuilder(features, text_features), parser)
        for block in read_ahead(blocks):
            reader.feed(block)
        return reader.result()


def _parse_lines(lines: list[bytes], keep_text: Sequence[bool]) -> tuple[bytes, ParsedRows | None]:
    rows = b"\n".join(lines) + b"\n"
    return rows, parse_csv_rows(rows, keep_text)


class _Reader:
    def __init__(self, table: TableBuilder, parser: Executor) -> None:
        self.table = table
        self.parser = parser
        self.parsing: deque[Future[tuple[bytes, ParsedRows | None]]] = deque()  # in block order
        self.lines = self.records = 0
        self.skipped = Skipped()
        self.numbers = LineNumbers()

    def feed(self, block: CaptureBlock) -> None:
        payloads = compact_inputs(block.data)
        if payloads is not None:
            self.numbers.skip(block, len(payloads))
            self.parsing.append(self.parser.submit(_parse_lines, payloads, self.table.keep_text))
            while len(self.parsing) > 1:  # one block typed while the next is matched
                self.table.add_parsed(*self.parsing.popleft().result())
            self.lines += len(payloads)
            self.records += len(payloads)
            return
        self._drain()
        first = self.numbers.first(block)
        lines = self.numbers.next - first
        inputs = read_inputs(block.data, lines)
        if inputs is None:
            self._lines(block, first)
            return
        rows = inputs.csv_rows()
        if rows is not None:
            self.table.add_csv_rows(rows)
            self.lines += len(inputs)
            self.records += len(inputs)
            return
        self._inputs(inputs, block.source, first)

    def _inputs(self, inputs: InputColumns, source: str, first: int) -> None:
        """Each line's input from the parsed columns (line i of the block is input i)."""
        for number, payload in enumerate(inputs.payloads(), start=first):
            self.lines += 1
            try:
                self._input(payload)
                self.records += 1
            except Malformed as reason:
                self.skipped.add(Line(source, number, b""), reason)

    def _lines(self, block: CaptureBlock, first: int) -> None:
        for line in block_lines(block, first):
            self.lines += 1
            try:
                record = json_object(line)
                capture = record.get("captureData")
                self._input(capture.get("endpointInput") if isinstance(capture, dict) else None)
                self.records += 1
            except Malformed as reason:
                self.skipped.add(line, reason)

    def _input(self, payload: Any) -> None:
        text, encoding = payload_text(payload, "captureData.endpointInput")
        if encoding == "CSV":
            if not text.strip():
                raise Malformed("empty input")
            self.table.add_csv_text(text)
        else:
            self._json_rows(text)

    def _json_rows(self, text: str) -> None:
        payload = parse_json(text, "the input")
        if isinstance(payload, dict) and "instances" in payload:
            payload = payload["instances"]
        if not isinstance(payload, (dict, list)):
            raise Malformed("JSON input is not an object or a list")
        rows: list[Any] = payload if isinstance(payload, list) else [payload]
        if rows and all(_is_scalar(value) for value in rows):
            rows = [rows]  # one positional row, e.g. {"instances": [1.0, 2.0]}
        if not rows or not all(
            isinstance(row, dict) or (isinstance(row, list) and all(map(_is_scalar, row))) for row in rows
        ):
            raise Malformed('JSON input is not an object, a list of rows or {"instances": [...]}')
        for row in rows:
            if isinstance(row, dict):
                self.table.add_named(row)
            else:
                self.table.add_positional(row)

    def _drain(self) -> None:
        """Every block handed to the parser, in the table (before rows read any other way)."""
        while self.parsing:
            self.table.add_parsed(*self.parsing.popleft().result())

    def result(self) -> CaptureData:
        self._drain()
        table = self.table.build()
        counts = CaptureCounts(self.lines, self.records, table.rows, self.skipped.count)
        return CaptureData(table, counts, tuple(self.skipped.examples))


def compact_inputs(data: bytes) -> list[bytes] | None:
    """Each line's CSV input when every line of `data` is in SageMaker's compact layout, else None.

    Splitting by the expression gives the inputs and, between the matches, whatever no match took:
    all of it empty means every line matched, so the lines need no counting. The data is split in
    pieces of whole lines (views, not copies), so that other threads get the GIL between them."""
    if not data.endswith(b"\n"):  # a file's last line, without its newline
        data += b"\n"
    view, inputs, start = memoryview(data), [], 0
    while start < len(data):
        end = data.find(b"\n", min(start + PIECE_BYTES, len(data) - 1)) + 1
        parts = _COMPACT_CSV_LINE.split(view[start:end])
        if len(parts) < 3 or any(parts[0::2]):
            return None
        inputs += parts[1::2]
        start = end
    return inputs


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))
