"""The compact-layout expression reads a line only when it accounts for all of it: whatever json.loads
would read differently (a break after the input, a repeated key, a bad escape, bytes that are not
UTF-8) sends the block to the JSON readers, so each line is read, or counted as malformed, exactly as
the line-by-line reader reads it."""

from __future__ import annotations

import json

import pytest

from fraudspec.monitoring.engine import capture
from fraudspec.monitoring.engine.capture import compact_inputs, read_capture
from fraudspec.monitoring.records.blocks import CaptureBlock
from tests.monitoring.conftest import capture_line

FEATURES = ["count", "amount"]
GOOD = capture_line("1,2")
INPUT = '{"observedContentType":"text/csv","mode":"INPUT","data":"%s","encoding":"CSV"}'
REST = '"eventMetadata":{"eventId":"e","inferenceTime":"2024-05-01T10:21:48Z"},"eventVersion":"0"}'


def _output(data: str) -> str:
    """A line whose output's data is `data`, written as it stands (escapes and all)."""
    return GOOD.replace('"data":"{\\"is_fraud\\":0,\\"fraud_probability\\":0.01,\\"confidence\\":0.99}"',
                        f'"data":"{data}"')


ACCEPTED = {
    "SageMaker's record": GOOD,
    "no output": '{"captureData":{"endpointInput":' + INPUT % "3,4" + "}," + REST,
    "an inference id": GOOD.replace('"inferenceTime"', '"inferenceId":"abc","inferenceTime"'),
    "escapes in the output": _output('0.5\\n\\t\\"x\\" \\\\ \\/ \\u00e9 \\ud83d'),
    "a CRLF line ending": GOOD + "\r",
    "an escaped quote last": _output('0.5\\"'),
    "a blank-led input": capture_line("  1,2"),
}

REJECTED = {
    "text after the object": GOOD + " x",
    "a second object": GOOD + "{}",
    "no closing brace": GOOD[:-1],
    "captureData repeated": GOOD[:-1] + ',"captureData":{"endpointInput":' + INPUT % "7,8" + "}}",
    "endpointInput repeated": '{"captureData":{"endpointInput":' + INPUT % "1,2" + ',"endpointInput":'
                              + INPUT % "5,6" + "}," + REST,
    "a bad escape in the output": _output("0.5\\x"),
    "a short unicode escape": _output("\\u00e"),
    "a bare quote in the output": _output('0."5'),
    "an escaped closing quote": _output("0.5\\"),
    "a tab in the output": _output("0.5\t"),
    "a number for eventVersion": GOOD.replace('"eventVersion":"0"', '"eventVersion":0'),
    "spaces between tokens": GOOD.replace('","mode"', '", "mode"'),
    "an escape in the input": capture_line('1,"2"'),
}


def _outcome(data: bytes) -> tuple:
    read = read_capture([CaptureBlock("a.jsonl", data)], FEATURES, ["amount"])
    columns = {name: (c.numbers.tolist(), c.texts, c.missing, c.integral, c.fractional, c.string)
               for name, c in read.table.columns.items()}
    return read.counts, read.malformed_examples, columns, read.table.extra


def _by_line(data: bytes, monkeypatch: pytest.MonkeyPatch) -> tuple:
    with monkeypatch.context() as patch:
        patch.setattr(capture, "compact_inputs", lambda data: None)
        patch.setattr(capture, "read_inputs", lambda data, lines: None)
        return _outcome(data)


@pytest.mark.parametrize("line", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_the_expression_reads_sagemakers_lines(line: str, monkeypatch: pytest.MonkeyPatch) -> None:
    data = (GOOD + "\n" + line + "\n").encode()
    inputs = compact_inputs(data)
    assert inputs is not None and inputs[0] == b"1,2"
    record = json.loads(line)
    assert inputs[1] == record["captureData"]["endpointInput"]["data"].encode()
    assert _outcome(data) == _by_line(data, monkeypatch)


@pytest.mark.parametrize("line", REJECTED.values(), ids=REJECTED.keys())
def test_a_line_the_expression_cannot_account_for_is_read_as_json(line: str, monkeypatch: pytest.MonkeyPatch,
                                                                   ) -> None:
    data = (GOOD + "\n" + line + "\n" + GOOD + "\n").encode()
    assert compact_inputs(data) is None
    assert _outcome(data) == _by_line(data, monkeypatch)


def test_lines_that_break_json_after_the_input_are_counted_as_malformed() -> None:
    broken = [REJECTED[name] for name in ("text after the object", "a second object", "no closing brace",
                                         "a bad escape in the output", "a bare quote in the output",
                                         "a tab in the output")]
    data = "".join(line + "\n" for line in [GOOD, *broken, GOOD]).encode()
    read = read_capture([CaptureBlock("a.jsonl", data)], FEATURES)
    assert (read.counts.lines, read.counts.records, read.counts.malformed) == (8, 2, 6)
    assert read.malformed_examples[0] == "a.jsonl:2: not a JSON record"


def test_a_repeated_key_reads_the_last_input_as_json_does() -> None:
    for name, expected in (("captureData repeated", [1, 7, 1]), ("endpointInput repeated", [1, 5, 1])):
        data = "".join(line + "\n" for line in [GOOD, REJECTED[name], GOOD]).encode()
        counts = read_capture([CaptureBlock("a.jsonl", data)], FEATURES).table.columns["count"]
        assert counts.numbers.tolist() == expected


def test_bytes_that_are_not_utf8_after_the_input_make_the_line_malformed(monkeypatch: pytest.MonkeyPatch) -> None:
    data = (GOOD + "\n").encode() + _output("0.5").encode().replace(b"0.5", b"0.5\xff") + b"\n"
    assert compact_inputs(data) is None
    read = read_capture([CaptureBlock("a.jsonl", data)], FEATURES)
    assert (read.counts.records, read.counts.malformed) == (1, 1)
    assert _outcome(data) == _by_line(data, monkeypatch)


def test_a_last_line_without_its_newline_is_read_and_numbered() -> None:
    data = (GOOD + "\n" + GOOD).encode()
    assert compact_inputs(data) == [b"1,2", b"1,2"]
    read = read_capture([CaptureBlock("a.jsonl", data), CaptureBlock("a.jsonl", b"not json\n")], FEATURES)
    assert read.malformed_examples == ("a.jsonl:3: not a JSON record",)


@pytest.mark.parametrize("piece", [1, 700, 1 << 20])
def test_pieces_of_any_size_read_the_same_inputs(piece: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The expression runs over pieces of whole lines: where they are cut changes nothing, and a line
    it cannot account for in any piece still hands the whole block on."""
    lines = [capture_line(f"{i},{i}.5") for i in range(40)]
    data = "".join(line + "\n" for line in lines).encode()
    monkeypatch.setattr(capture, "PIECE_BYTES", piece)
    assert compact_inputs(data) == [f"{i},{i}.5".encode() for i in range(40)]
    broken = "".join(line + "\n" for line in [*lines[:30], REJECTED["a second object"], *lines[30:]]).encode()
    assert compact_inputs(broken) is None
