"""Reading predictions out of capture records and labels out of ground-truth records; what is skipped and why."""

from __future__ import annotations

import base64
import json

from fraudspec.monitoring.records.blocks import CaptureBlock
from fraudspec.monitoring.records.groundtruth import read_labels
from fraudspec.monitoring.records.predictions import read_predictions
from tests.monitoring.quality.conftest import blocks, label_line, prediction_line


def output_line(data: str, encoding: str, content_type: str = "application/json", **metadata: str) -> str:
    return json.dumps({"captureData": {"endpointOutput": {"observedContentType": content_type, "mode": "OUTPUT",
                                                          "data": data, "encoding": encoding}},
                       "eventMetadata": metadata or {"eventId": "e"}, "eventVersion": "0"})


def test_predictions_from_every_output_form_fraudspec_and_sagemaker_write() -> None:
    data = read_predictions(blocks(
        prediction_line("e1", 0.8),
        prediction_line("e2", [0.1, 0.9], inference_id="i2"),
        prediction_line("e3", [0.25, 0.75], csv=True),
        output_line("0.0363", "CSV", "text/csv"),
        output_line("[0.5, 0.25]", "JSON"),
        output_line(base64.b64encode(b'{"fraud_probability": 0.125}').decode(), "BASE64", "application/x-custom"),
    ))
    assert data.malformed == 0 and data.lines == 6
    assert [(p.key, p.probabilities) for p in data.records] == [
        ("e1", (0.8,)), ("i2", (0.1, 0.9)), ("e3", (0.25, 0.75)), ("e", (0.0363,)), ("e", (0.5, 0.25)), ("e", (0.125,))]


def test_unreadable_capture_records_are_skipped_counted_and_located() -> None:
    no_output = json.dumps({"captureData": {"endpointInput": {"data": "1", "encoding": "CSV"}},
                            "eventMetadata": {"eventId": "e"}})
    data = read_predictions(blocks(
        "not json",
        no_output,
        output_line("1.5", "CSV", "text/csv"),
        output_line("1,0.5", "CSV", "text/csv"),
        output_line('{"is_fraud": 1}', "JSON"),
        output_line("0.5", "CSV", "text/csv", requestId="x"),
        output_line("0.5", "XML"),
        "",
        prediction_line("ok", 0.5),
        source="cap.jsonl",
    ))
    assert [p.key for p in data.records] == ["ok"]
    assert data.malformed == 7 and data.lines == 8  # the blank line is neither
    assert data.malformed_examples[0] == "cap.jsonl:1: not a JSON record"
    assert data.malformed_examples[1] == "cap.jsonl:2: no captureData.endpointOutput.data"
    assert "outside [0, 1]" in data.malformed_examples[2] and "2 columns" in data.malformed_examples[3]
    assert "no fraud probability" in data.malformed_examples[4]


def test_line_numbers_continue_across_a_files_blocks() -> None:
    lines = [prediction_line("a", 0.5), "broken", prediction_line("b", 0.5), "broken"]
    split = [CaptureBlock("f", (lines[0] + "\n" + lines[1] + "\n").encode()),
             CaptureBlock("f", (lines[2] + "\n" + lines[3]).encode())]
    assert read_predictions(split).malformed_examples == ("f:2: not a JSON record", "f:4: not a JSON record")


def test_labels_in_csv_json_and_batches_keyed_by_whichever_id_they_carry() -> None:
    json_label = json.dumps({"groundTruthData": {"data": "[1, 0, true]", "encoding": "JSON"},
                             "eventMetadata": {"inferenceId": "i9"}, "eventVersion": "0"})
    lines_label = json.dumps({"groundTruthData": {"data": "1\n0.0\n", "encoding": "CSV"},
                              "eventMetadata": {"eventId": "e7"}, "eventVersion": "0"})
    data = read_labels(blocks(label_line("e1", 1), label_line("e2", 0, 1, 1), json_label, lines_label))
    assert data.malformed == 0
    assert [(r.key, r.labels) for r in data.records] == [("e1", (1,)), ("e2", (0, 1, 1)), ("i9", (1, 0, 1)),
                                                         ("e7", (1, 0))]


def test_the_written_label_line_is_sagemakers_record() -> None:
    assert json.loads(label_line("abc", 1)) == {"groundTruthData": {"data": "1", "encoding": "CSV"},
                                                "eventMetadata": {"eventId": "abc"}, "eventVersion": "0"}


def test_unreadable_labels_are_skipped_and_counted() -> None:
    def record(data: str, encoding: str = "CSV", metadata: dict | None = None) -> str:
        return json.dumps({"groundTruthData": {"data": data, "encoding": encoding},
                           "eventMetadata": {"eventId": "e"} if metadata is None else metadata})

    data = read_labels(blocks(record("2"), record("fraud"), record(""), record('{"a": 1}', "JSON"),
                              record("1", metadata={}), '{"eventMetadata": {"eventId": "e"}}', record("1")))
    assert data.malformed == 6 and [r.labels for r in data.records] == [(1,)]
    assert "label '2' is not 0 or 1" in data.malformed_examples[0]
    assert "neither inferenceId nor eventId" in data.malformed_examples[4]
