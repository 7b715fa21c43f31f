"""Captured predictions joined to ground-truth labels, record by record.

A capture record's key is its inferenceId, else its eventId; a label record's key is whichever id
it carries. A record joins the label record with the same key, row by row: a batch of n rows needs
a label record of n labels, in the request's order, and is left unlabelled (and counted) otherwise.
When several label records share a key, the last one read wins (a corrected label replaces the
earlier one); a key several capture records share gives its labels to each of them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fraudspec.monitoring.records.groundtruth import LabelData
from fraudspec.monitoring.records.predictions import PredictionData


@dataclass(frozen=True)
class JoinCounts:
    capture_lines: int = 0
    capture_records: int = 0  # capture records with readable predictions
    predictions: int = 0  # their rows
    malformed_captures: int = 0
    label_lines: int = 0
    label_records: int = 0  # readable label records, superseded ones included
    malformed_labels: int = 0
    superseded_labels: int = 0  # label records a later one for the same key replaced
    labelled: int = 0  # prediction rows joined to a label: what the metrics are computed on
    unlabelled: int = 0  # prediction rows without a label (not labelled yet, or a batch mismatch)
    unmatched_labels: int = 0  # label keys that match no capture record of the window
    batch_mismatches: int = 0  # capture records whose label count differs from their row count


@dataclass(frozen=True, eq=False)
class Joined:
    labels: np.ndarray  # int8, 1 = fraud
    probabilities: np.ndarray  # float64, aligned with labels
    counts: JoinCounts


def join(predictions: PredictionData, labels: LabelData) -> Joined:
    latest: dict[str, tuple[int, ...]] = {}
    for record in labels.records:
        latest[record.key] = record.labels
    matched: set[str] = set()
    truth: list[int] = []
    scores: list[float] = []
    unlabelled = mismatches = rows = 0
    for prediction in predictions.records:
        rows += len(prediction.probabilities)
        found = latest.get(prediction.key)
        if found is not None:
            matched.add(prediction.key)
        if found is None or len(found) != len(prediction.probabilities):
            unlabelled += len(prediction.probabilities)
            mismatches += found is not None
            continue
        truth.extend(found)
        scores.extend(prediction.probabilities)
    counts = JoinCounts(
        capture_lines=predictions.lines,
        capture_records=len(predictions.records),
        predictions=rows,
        malformed_captures=predictions.malformed,
        label_lines=labels.lines,
        label_records=len(labels.records),
        malformed_labels=labels.malformed,
        superseded_labels=len(labels.records) - len(latest),
        labelled=len(truth),
        unlabelled=unlabelled,
        unmatched_labels=len(latest.keys() - matched),
        batch_mismatches=mismatches,
    )
    return Joined(np.array(truth, dtype=np.int8), np.array(scores, dtype=np.float64), counts)
