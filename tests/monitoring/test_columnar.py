"""The columnar capture reader (pyarrow) reads every block exactly as the line-by-line reader (json.loads)
does, or hands it back; the bulk CSV table path types exactly as the per-value path."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from fraudspec.monitoring.engine import capture
from fraudspec.monitoring.engine.capture import read_capture
from fraudspec.monitoring.engine.table import TableBuilder
from fraudspec.monitoring.records.blocks import CaptureBlock
from fraudspec.monitoring.records.columnar import read_inputs
from tests.monitoring.conftest import base64_line, capture_line, json_line

FEATURES = ["count", "amount", "channel"]
ODD_NUMBERS = ["7", "-3", "+4", "2.5", "1e5", "7E-3", "1.", ".5", "1e400", "-0", "", "1e", "abc", " 5", "1.5e+3"]


def _outcome(blocks: list[CaptureBlock]) -> dict:
    data = read_capture(blocks, FEATURES, ["channel"])
    columns = {name: (c.numbers.tolist(), c.texts, c.missing, c.integral, c.fractional, c.string)
               for name, c in data.table.columns.items()}
    return {"counts": data.counts, "examples": data.malformed_examples, "columns": columns,
            "absent": data.table.absent, "extra": data.table.extra}


def _both_ways(lines: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[dict, dict]:
    """What the columnar reader reads (the compact-layout expression off), and what the line-by-line
    reader reads; both also equal what the default tiers read."""
    text = ("\n".join(lines) + "\n").encode()
    cut = text.rfind(b"\n", 0, len(text) // 2) + 1
    blocks = [CaptureBlock("a.jsonl", text[:cut]), CaptureBlock("a.jsonl", text[cut:]), CaptureBlock("b.jsonl", text)]
    default = _outcome(blocks)
    with monkeypatch.context() as patch:
        patch.setattr(capture, "_COMPACT_CSV_LINE", re.compile(rb"(?!)"))
        columnar = _outcome(blocks)
        patch.setattr(capture, "read_inputs", lambda data, lines: None)
        by_line = _outcome(blocks)
    assert default == by_line
    return columnar, by_line


CASES = {
    "numeric CSV": [capture_line(f"{i},{i * 1.25},{i % 3}") for i in range(300)],
    "categorical CSV": [capture_line(f"{i},{i * 1.5},{'web' if i % 2 else 'pos'}") for i in range(300)],
    "odd numbers": [capture_line(",".join(ODD_NUMBERS[(i + j) % len(ODD_NUMBERS)] for j in range(3)))
                    for i in range(300)],
    "ragged and wide": [capture_line("1,2"), capture_line("1,2,x,4,5"), capture_line("3")] * 20,
    "blank inputs alone": [capture_line("  "), capture_line("\u00a0"), capture_line("1,2,web")] * 20,
    "empty, blank and multi-row inputs": [capture_line(""), capture_line("  "), capture_line("1,2,a\n3,4,b"),
                                          capture_line("5,6,c\r"), capture_line('"7",8,"d,e"'),
                                          capture_line("9,1,\u00a0"), capture_line("1,1,caf\u00e9")] * 10,
    "JSON and BASE64 inputs": [json_line({"count": 1, "amount": 2.5, "channel": "web", "other": 1}),
                               json_line({"instances": [[1, 2, "x"], [3, 4.5, None]]}),
                               json_line([True, "7", 1e300]), base64_line("5,6,pos", "text/csv"),
                               base64_line('{"count": 2}', "application/octet-stream"),
                               capture_line("1,2,web", encoding="XML")] * 20,
    "lines that are not records": ['{"captureData": null}', '{"eventVersion": "0"}', "[1, 2]", "not json",
                                   capture_line("1,2,web")] * 10,
}


@pytest.mark.parametrize("name", list(CASES))
def test_columnar_reading_equals_line_by_line_reading(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    columnar, by_line = _both_ways(CASES[name], monkeypatch)
    assert columnar == by_line


def test_a_block_of_records_is_read_column_wise() -> None:
    lines = [capture_line(f"{i},2,web") for i in range(5)]
    inputs = read_inputs(("\n".join(lines) + "\n").encode(), 5)
    assert inputs is not None and inputs.csv_rows() == b"0,2,web\n1,2,web\n2,2,web\n3,2,web\n4,2,web\n"


@pytest.mark.parametrize("block", [
    b'{"captureData": {}}\n\n{"captureData": {}}\n',  # a blank line: records would lose their numbers
    b'{"captureData": {}}\n  \n',
    b'{"captureData": {}} {"captureData": {}}\n',  # two values on one line
    b'{"captureData": {"endpointInput": {"data": 1.5}}}\n',  # a field of another type
    b'{"captureData": {}, "extra": ' + b"[" * 5000 + b"]" * 5000 + b"}\n",  # a field SageMaker never writes
    b'{"captureData": {"endpointInput": {"data": "1", "data": "2"}}}\n',  # duplicate keys
    b'{"captureData": {"endpointInput": {"data": "\xff"}}}\n',  # not UTF-8
    b'{"captureData": {"endpointInput": {"data": "\\ud800"}}}\n',  # a lone surrogate
    b"[1]\n",
])
def test_blocks_json_loads_would_read_differently_are_handed_back(block: bytes) -> None:
    assert read_inputs(block, block.count(b"\n")) is None


def test_bulk_csv_rows_type_as_the_per_value_path_does() -> None:
    rng = np.random.default_rng(5)
    rows = [",".join(ODD_NUMBERS[k] for k in rng.integers(0, len(ODD_NUMBERS) - 3, 3)) for _ in range(500)]
    bulk, per_value = TableBuilder(["a", "b", "c"], ["c"]), TableBuilder(["a", "b", "c"], ["c"])
    bulk.add_csv_rows("".join(row + "\n" for row in rows).encode())
    for row in rows:
        per_value.add_csv_text(row)
    for name in ("a", "b", "c"):
        x, y = bulk.build().columns[name], per_value.build().columns[name]
        assert (x.numbers.tolist(), x.texts, x.missing, x.integral, x.fractional, x.string) == (
            y.numbers.tolist(), y.texts, y.missing, y.integral, y.fractional, y.string)


def test_json_payload_lines_carry_their_line_numbers_into_the_examples(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [capture_line("1,2,web"), capture_line(json.dumps({"x": 1}), encoding="XML"), capture_line("3,4,pos")]
    columnar, by_line = _both_ways(lines, monkeypatch)
    assert columnar["examples"] == by_line["examples"] and columnar["examples"][0].startswith("a.jsonl:2: ")
