"""Standard deviations: only from 200 labelled records, deterministic, and of the size sampling noise has."""

from __future__ import annotations

import math

import numpy as np

from fraudspec.monitoring.quality.binary import SCALARS
from fraudspec.monitoring.quality.bootstrap import MIN_RECORDS, standard_deviations


def scored(rows: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(9)
    labels = (rng.random(rows) < 0.3).astype(np.int8)
    return labels, np.clip(rng.normal(0.3 + 0.35 * labels, 0.2), 0, 1)


def test_below_two_hundred_records_every_deviation_is_nan() -> None:
    labels, probabilities = scored(MIN_RECORDS - 1)
    deviations = standard_deviations(labels, probabilities, 0.5)
    assert set(deviations) == set(SCALARS) and all(math.isnan(value) for value in deviations.values())


def test_from_two_hundred_records_deviations_are_present_and_small() -> None:
    labels, probabilities = scored(MIN_RECORDS)
    deviations = standard_deviations(labels, probabilities, 0.5)
    for name in ("recall", "precision", "accuracy", "auc", "f1", "false_positive_rate"):
        assert 0 < deviations[name] < 0.1, name
    # Each draw holds 80% of the same records, so rates that only depend on the class balance barely move.
    assert deviations["recall_best_constant_classifier"] == 0.0


def test_the_same_records_give_the_same_deviations_and_another_seed_others() -> None:
    labels, probabilities = scored(1000)
    first = standard_deviations(labels, probabilities, 0.5)
    assert standard_deviations(labels.copy(), probabilities.copy(), 0.5) == first
    assert standard_deviations(labels, probabilities, 0.5, seed=1)["recall"] != first["recall"]


def test_a_metric_undefined_in_a_draw_has_no_deviation() -> None:
    labels = np.zeros(300, dtype=np.int8)
    deviations = standard_deviations(labels, np.linspace(0, 1, 300), 0.5)
    assert math.isnan(deviations["recall"]) and math.isnan(deviations["auc"])
    assert 0 < deviations["false_positive_rate"] < 0.1
