"""Capture blocks read column-wise: the `endpointInput` fields of every line, parsed by pyarrow's JSON reader.

pyarrow's reader is a threaded C++ parser that reads any key order and whitespace, against an
explicit schema: SageMaker's record, every field a string. It reads a block the way `json.loads`
reads each of its lines, or the block is handed back (None) to be read line by line by
`lines.json_object`, which names what is wrong with each line. Handed back: a line that is not JSON
or not an object, a field the record does not have or of another type (a number for `data`, a value
nested deeper than json.loads reads), duplicate keys, invalid UTF-8 or a lone surrogate, more than
one JSON value on a line, and blank lines (pyarrow skips them, so records would lose their line
numbers).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj

# SageMaker's capture record, field for field; a line with any other field, or a field of another type,
# is read line by line (so a value nested deeper than json.loads can read is never accepted here).
_PAYLOAD = pa.struct([(name, pa.string()) for name in ("observedContentType", "mode", "data", "encoding")])
_METADATA = pa.struct([(name, pa.string()) for name in ("eventId", "inferenceId", "inferenceTime")])
_SCHEMA = pa.schema([
    ("captureData", pa.struct([("endpointInput", _PAYLOAD), ("endpointOutput", _PAYLOAD)])),
    ("eventMetadata", _METADATA),
    ("eventVersion", pa.string()),
])
_PARSE = pj.ParseOptions(explicit_schema=_SCHEMA, unexpected_field_behavior="error")
_READ = pj.ReadOptions(use_threads=True, block_size=4 << 20)
# A line starting with a newline or JSON whitespace may be blank: its block is read line by line (rare,
# and never wrong).
_SPACE = np.zeros(256, dtype=bool)
_SPACE[list(b"\n \t\r")] = True


@dataclass(frozen=True, eq=False)
class InputColumns:
    """`captureData.endpointInput` of each line of a block, in line order; null where a line has none."""

    data: pa.StringArray
    encoding: pa.StringArray
    content_type: pa.StringArray

    def __len__(self) -> int:
        return len(self.data)

    def csv_rows(self) -> bytes | None:
        """Every line's CSV input, one newline-terminated row each, when every line has a one-row CSV
        input of printable ASCII; else None. Such a row reads the same as a whole (`add_csv_rows`) as
        alone (`add_csv_text`): it is not blank and holds no other line break (str.splitlines knows
        eight)."""
        if self.data.null_count or self.encoding.null_count or not pc.all(pc.equal(self.encoding, "CSV")).as_py():
            return None
        rows = _buffer_bytes(pc.binary_join_element_wise(self.data, "", "\n"))
        raw = np.frombuffer(rows, dtype=np.uint8)
        if not (((raw > 0x20) & (raw < 0x7F)) | (raw == 0x0A)).all():
            return None
        if rows.count(b"\n") != len(self) or rows.startswith(b"\n") or b"\n\n" in rows:
            return None  # an empty input, or one holding several rows
        return rows

    def payloads(self) -> Iterator[dict[str, Any] | None]:
        """Each line's input as `json.loads` would give it (None without one), for `lines.payload_text`."""
        for data, encoding, content_type in zip(
            self.data.to_pylist(), self.encoding.to_pylist(), self.content_type.to_pylist()
        ):
            yield {"data": data, "encoding": encoding, "observedContentType": content_type or ""}


def read_inputs(data: bytes, lines: int) -> InputColumns | None:
    """The inputs of a block of `lines` lines (a last unterminated line included), or None when the
    block must be read line by line."""
    if not lines:
        return None
    raw = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(raw == ord("\n"))
    starts = raw[ends[:-1] + 1] if data.endswith(b"\n") else raw[ends + 1]  # each line's first byte but the first's
    if _SPACE[raw[0]] or _SPACE[starts].any() or not _utf8(data):
        return None
    try:
        table = pj.read_json(pa.BufferReader(data), read_options=_READ, parse_options=_PARSE)
    except (ValueError, pa.ArrowException):  # ArrowInvalid and UnicodeDecodeError are ValueErrors
        return None
    if table.num_rows != lines:  # a line held more than one JSON value
        return None
    fields = [pc.struct_field(table.column("captureData"), ["endpointInput", name]).combine_chunks()
              for name in ("data", "encoding", "observedContentType")]
    return InputColumns(*fields)


def _utf8(data: bytes) -> bool:
    """pyarrow does not check the strings it reads; json.loads refuses a line that is not UTF-8."""
    if data.isascii():
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _buffer_bytes(strings: pa.Array) -> bytes:
    """The characters of a string array, concatenated (its value buffer between its first and last offset)."""
    if not len(strings):
        return b""
    offsets = np.frombuffer(strings.buffers()[1], dtype=np.int32)
    start, end = int(offsets[strings.offset]), int(offsets[strings.offset + len(strings)])
    return strings.buffers()[2].slice(start, end - start).to_pybytes()
