"""Capture JSON Lines: CSV, JSON and BASE64 inputs, batches, and malformed lines counted, never fatal."""

from __future__ import annotations

import json

from fraudspec.monitoring.engine.capture import CaptureCounts, read_capture
from fraudspec.monitoring.records.blocks import CaptureBlock
from tests.monitoring.conftest import base64_line, blocks, capture_line, json_line

FEATURES = ["count", "amount"]


def values(data, name: str) -> list[float]:
    return data.table.columns[name].numbers.tolist()


def test_compact_csv_records_map_columns_by_position() -> None:
    data = read_capture(blocks(capture_line("1,10.5"), capture_line("2,20")), FEATURES)
    assert data.counts == CaptureCounts(lines=2, records=2, rows=2, malformed=0)
    assert values(data, "count") == [1, 2] and values(data, "amount") == [10.5, 20]
    assert data.table.columns["amount"].fractional == 1


def test_the_fast_path_and_the_json_path_read_the_same_values() -> None:
    lines = [capture_line(f"{i},{i * 1.25}") for i in range(50)]
    fast = read_capture(blocks(*lines), FEATURES)
    slow = read_capture(blocks(*lines, "not json"), FEATURES)  # one bad line sends the block down the JSON path
    assert values(fast, "amount") == values(slow, "amount") and values(fast, "count") == values(slow, "count")
    assert slow.counts == CaptureCounts(lines=51, records=50, rows=50, malformed=1)


def test_json_inputs_map_objects_by_name_and_lists_by_position() -> None:
    data = read_capture(blocks(
        json_line({"amount": 1.5, "count": 1}),
        json_line([{"count": 2, "amount": 2.5}, {"count": 3}]),
        json_line({"instances": [[4, 4.5], [5, 5.5]]}),
        json_line({"instances": [{"count": 6, "amount": 6.5}]}),
        json_line({"instances": [7, 7.5]}),
    ), FEATURES)
    assert data.counts == CaptureCounts(lines=5, records=5, rows=7, malformed=0)
    assert values(data, "count") == [1, 2, 3, 4, 5, 6, 7]
    assert values(data, "amount") == [1.5, 2.5, 4.5, 5.5, 6.5, 7.5]
    assert data.table.columns["amount"].missing == 1


def test_base64_inputs_are_decoded_by_content_type() -> None:
    data = read_capture(blocks(
        base64_line("1,2.5", "text/csv"),
        base64_line(json.dumps({"count": 3, "amount": 4.5}), "application/json"),
        base64_line('{"count": 5, "amount": 6.5}', "application/octet-stream"),
    ), FEATURES)
    assert data.counts.malformed == 0
    assert values(data, "count") == [1, 3, 5]


def test_a_csv_record_may_carry_a_batch_and_quoted_fields() -> None:
    data = read_capture(blocks(capture_line("1,2\n3,4\n"), capture_line('5,"6"')), FEATURES)
    assert data.counts == CaptureCounts(lines=2, records=2, rows=3, malformed=0)
    assert values(data, "amount") == [2, 4, 6]


def test_malformed_lines_are_counted_skipped_and_located() -> None:
    no_input = json.dumps({"captureData": {"endpointOutput": {"data": "0", "encoding": "CSV"}}})
    data = read_capture([
        CaptureBlock("f.jsonl", (capture_line("1,1") + "\n{broken\n\n" + no_input + "\n").encode()),
        CaptureBlock("f.jsonl", "\n".join([
            capture_line("!!!", encoding="BASE64"),
            capture_line("1,1", encoding="XML"),
            capture_line(""),
            json_line("just text"),
            capture_line("2,2"),
        ]).encode()),
    ], FEATURES)
    assert data.counts == CaptureCounts(lines=8, records=2, rows=2, malformed=6)
    assert data.malformed_examples == (
        "f.jsonl:2: not a JSON record",
        "f.jsonl:4: no captureData.endpointInput.data",
        "f.jsonl:5: captureData.endpointInput is BASE64 that does not decode to UTF-8 text",
        "f.jsonl:6: captureData.endpointInput has unknown encoding 'XML'",
        "f.jsonl:7: empty input",
    )


def test_json_inputs_of_an_unsupported_shape_are_malformed() -> None:
    data = read_capture(
        blocks(json_line([[1, [2]]]), json_line([]), json_line([1, {"a": 2}]), capture_line("{x", encoding="JSON")),
        FEATURES,
    )
    assert data.counts == CaptureCounts(lines=4, records=0, rows=0, malformed=4)
    assert read_capture(blocks(json_line("1,2")), FEATURES).counts.malformed == 1


def test_the_output_side_is_not_monitored() -> None:
    record = json.loads(capture_line("1,2"))
    record["captureData"]["endpointOutput"] = {
        "observedContentType": "application/json",
        "mode": "OUTPUT",
        "data": '{"count": 99, "is_fraud": 1}',
        "encoding": "JSON",
    }
    data = read_capture(blocks(json.dumps(record)), FEATURES)
    assert values(data, "count") == [1] and data.table.extra == ()
