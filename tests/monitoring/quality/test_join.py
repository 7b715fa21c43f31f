"""Joining predictions to labels: by inferenceId, else eventId; batches row by row; what cannot join is counted."""

from __future__ import annotations

from fraudspec.monitoring.quality.join import join
from fraudspec.monitoring.records.groundtruth import read_labels
from fraudspec.monitoring.records.predictions import read_predictions
from tests.monitoring.quality.conftest import blocks, label_line, prediction_line


def joined(captures: list[str], labels: list[str]):
    return join(read_predictions(blocks(*captures)), read_labels(blocks(*labels)))


def test_a_capture_with_an_inference_id_joins_the_label_of_that_id() -> None:
    result = joined(
        [prediction_line("e1", 0.9, inference_id="txn-1"), prediction_line("e2", 0.2, inference_id="txn-2")],
        [label_line("txn-2", 0), label_line("txn-1", 1)],
    )
    assert result.labels.tolist() == [1, 0] and result.probabilities.tolist() == [0.9, 0.2]
    assert (result.counts.labelled, result.counts.unlabelled, result.counts.unmatched_labels) == (2, 0, 0)


def test_a_capture_without_an_inference_id_joins_by_its_event_id() -> None:
    result = joined([prediction_line("e1", 0.9), prediction_line("e2", 0.4)], [label_line("e2", 1)])
    assert result.labels.tolist() == [1] and result.probabilities.tolist() == [0.4]
    assert (result.counts.labelled, result.counts.unlabelled) == (1, 1)


def test_the_event_id_of_a_capture_that_has_an_inference_id_does_not_join() -> None:
    # SageMaker's rule: the inferenceId, when present, is the only key.
    result = joined([prediction_line("e1", 0.9, inference_id="txn-1")], [label_line("e1", 1)])
    assert result.counts.labelled == 0 and result.counts.unmatched_labels == 1 and result.counts.unlabelled == 1


def test_labels_for_no_captured_prediction_are_counted_as_unmatched() -> None:
    result = joined(
        [prediction_line("e1", 0.9)], [label_line("e1", 1), label_line("ghost-1", 0), label_line("ghost-2", 1)]
    )
    assert result.counts.unmatched_labels == 2 and result.counts.labelled == 1
    assert (result.counts.label_records, result.counts.capture_records, result.counts.predictions) == (3, 1, 1)


def test_a_batch_joins_row_by_row_and_a_label_count_mismatch_leaves_it_unlabelled() -> None:
    result = joined(
        [prediction_line("b1", [0.1, 0.8, 0.6]), prediction_line("b2", [0.3, 0.7])],
        [label_line("b1", 0, 1, 0), label_line("b2", 1)],
    )
    assert result.labels.tolist() == [0, 1, 0] and result.probabilities.tolist() == [0.1, 0.8, 0.6]
    counts = result.counts
    assert (counts.predictions, counts.labelled, counts.unlabelled, counts.batch_mismatches) == (5, 3, 2, 1)
    assert counts.unmatched_labels == 0  # b2's label found its record, it just does not fit it


def test_a_later_label_for_the_same_key_replaces_the_earlier_one() -> None:
    result = joined([prediction_line("e1", 0.9)], [label_line("e1", 0), label_line("e1", 1)])
    assert result.labels.tolist() == [1] and result.counts.superseded_labels == 1


def test_malformed_lines_of_both_streams_are_counted() -> None:
    result = joined([prediction_line("e1", 0.9), "junk"], [label_line("e1", 1), "junk", "junk"])
    assert (result.counts.malformed_captures, result.counts.malformed_labels) == (1, 2)
    assert (result.counts.capture_lines, result.counts.label_lines) == (2, 3)
