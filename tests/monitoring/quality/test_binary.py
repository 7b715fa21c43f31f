"""Binary metrics: equal to scikit-learn's on the same labels, AWS's documented example, undefined cases, curves."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn import metrics as sk

from fraudspec.monitoring.quality import binary
from fraudspec.monitoring.quality.binary import SCALARS, binary_metrics, scalar_metrics


def scored(seed: int, rows: int, fraud_rate: float, decimals: int) -> tuple[np.ndarray, np.ndarray]:
    """Labels and probabilities that separate the classes imperfectly; rounding makes ties."""
    rng = np.random.default_rng(seed)
    labels = (rng.random(rows) < fraud_rate).astype(np.int8)
    probabilities = np.clip(rng.normal(0.3 + 0.35 * labels, 0.2), 0, 1).round(decimals)
    return labels, probabilities


@pytest.mark.parametrize("seed, rows, fraud_rate, decimals, threshold", [
    (1, 500, 0.1, 2, 0.5), (2, 3000, 0.02, 3, 0.4), (3, 57, 0.5, 1, 0.5), (4, 1000, 0.3, 6, 0.65)])
def test_metrics_equal_scikit_learns(seed, rows, fraud_rate, decimals, threshold) -> None:
    labels, probabilities = scored(seed, rows, fraud_rate, decimals)
    predicted = probabilities >= threshold
    result = binary_metrics(labels, probabilities, threshold)
    values = result.values
    expected = {
        "recall": sk.recall_score(labels, predicted),
        "true_positive_rate": sk.recall_score(labels, predicted),
        "precision": sk.precision_score(labels, predicted),
        "accuracy": sk.accuracy_score(labels, predicted),
        "f0_5": sk.fbeta_score(labels, predicted, beta=0.5),
        "f1": sk.f1_score(labels, predicted),
        "f2": sk.fbeta_score(labels, predicted, beta=2),
        "auc": sk.roc_auc_score(labels, probabilities),
    }
    tn, fp, fn, tp = sk.confusion_matrix(labels, predicted).ravel()
    expected["false_positive_rate"] = fp / (fp + tn)
    expected["true_negative_rate"] = tn / (tn + fp)
    expected["false_negative_rate"] = fn / (fn + tp)
    for name, value in expected.items():
        assert values[name] == pytest.approx(value, abs=1e-12), name
    c = result.confusion
    assert (c.true_negatives, c.false_positives, c.false_negatives, c.true_positives) == (tn, fp, fn, tp)


def test_area_under_precision_recall_is_sparks_trapezoids_from_the_first_precision() -> None:
    labels, probabilities = scored(5, 800, 0.15, 2)
    precision, recall, _ = sk.precision_recall_curve(labels, probabilities)
    # scikit-learn's curve starts at (recall 0, precision 1); Spark's at (0, precision of the top threshold).
    precision, recall = precision[::-1].copy(), recall[::-1]
    precision[0] = precision[1]
    assert binary_metrics(labels, probabilities, 0.5).values["au_prc"] == pytest.approx(
        sk.auc(recall, precision), abs=1e-12
    )


def test_the_example_in_awss_documentation_is_reproduced_exactly() -> None:
    # AWS's binary_classification_metrics example: confusion {"0": {"0": 1, "1": 2}, "1": {"0": 0, "1": 1}}.
    result = binary_metrics(np.array([0, 0, 0, 1]), np.array([0.2, 0.7, 0.8, 0.9]), 0.5)
    c = result.confusion
    assert (c.true_negatives, c.false_positives, c.false_negatives, c.true_positives) == (1, 2, 0, 1)
    assert {
        name: result.values[name]
        for name in (
            "recall",
            "precision",
            "accuracy",
            "recall_best_constant_classifier",
            "precision_best_constant_classifier",
            "accuracy_best_constant_classifier",
            "true_positive_rate",
            "true_negative_rate",
            "false_positive_rate",
            "false_negative_rate",
            "f0_5",
            "f1",
            "f2",
            "f0_5_best_constant_classifier",
            "f1_best_constant_classifier",
            "f2_best_constant_classifier",
        )
    } == {
        "recall": 1.0,
        "precision": 0.3333333333333333,
        "accuracy": 0.5,
        "recall_best_constant_classifier": 1.0,
        "precision_best_constant_classifier": 0.25,
        "accuracy_best_constant_classifier": 0.25,
        "true_positive_rate": 1.0,
        "true_negative_rate": 0.33333333333333337,
        "false_positive_rate": 0.6666666666666666,
        "false_negative_rate": 0.0,
        "f0_5": 0.3846153846153846,
        "f1": 0.5,
        "f2": 0.7142857142857143,
        "f0_5_best_constant_classifier": 0.29411764705882354,
        "f1_best_constant_classifier": 0.4,
        "f2_best_constant_classifier": 0.625,
    }


def test_metrics_without_a_denominator_are_undefined_not_zero() -> None:
    no_fraud = binary_metrics(np.array([0, 0, 0]), np.array([0.1, 0.2, 0.3]), 0.5).values
    for name in (
        "recall",
        "precision",
        "auc",
        "au_prc",
        "f1",
        "false_negative_rate",
        "recall_best_constant_classifier",
    ):
        assert math.isnan(no_fraud[name]), name
    assert no_fraud["accuracy"] == 1.0 and no_fraud["false_positive_rate"] == 0.0
    all_fraud = binary_metrics(np.array([1, 1]), np.array([0.9, 0.2]), 0.5).values
    assert math.isnan(all_fraud["false_positive_rate"]) and math.isnan(all_fraud["auc"])
    assert all_fraud["recall"] == 0.5 and all_fraud["precision"] == 1.0
    missed = binary_metrics(np.array([1, 0]), np.array([0.2, 0.7]), 0.5).values
    assert missed["f1"] == sk.f1_score([1, 0], [0, 1]) == 0.0 and missed["precision"] == 0.0


def test_values_come_in_model_monitors_order_and_scalars_match_the_full_computation() -> None:
    labels, probabilities = scored(6, 300, 0.2, 2)
    full = binary_metrics(labels, probabilities, 0.5)
    assert tuple(full.values) == SCALARS
    assert scalar_metrics(labels, probabilities, 0.5) == dict(full.values)


def test_curves_run_from_the_origin_and_are_thinned_keeping_their_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    labels, probabilities = scored(7, 2000, 0.2, 6)
    result = binary_metrics(labels, probabilities, 0.5)
    assert (result.roc.x[0], result.roc.y[0], result.roc.x[-1], result.roc.y[-1]) == (0.0, 0.0, 1.0, 1.0)
    assert result.precision_recall.x[0] == 0.0 and result.precision_recall.x[-1] == 1.0
    monkeypatch.setattr(binary, "CURVE_POINTS", 50)
    thinned = binary_metrics(labels, probabilities, 0.5)
    assert len(thinned.roc.x) == 50 and thinned.roc.x[-1] == 1.0 and thinned.roc.y[0] == 0.0
    assert list(thinned.roc.x) == sorted(thinned.roc.x)
    assert thinned.values["auc"] == result.values["auc"]  # areas use every point
