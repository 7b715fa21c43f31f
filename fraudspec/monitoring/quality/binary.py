"""Binary-classification metrics, as Model Monitor's `binary_classification_metrics` names them.

A prediction is fraud when its probability is at or above the threshold. Definitions (scikit-learn's):
recall = true_positive_rate = TP/(TP+FN), precision = TP/(TP+FP), accuracy = (TP+TN)/n,
false_positive_rate = FP/(FP+TN), F-beta = (1+b^2)PR / (b^2 P + R) (0 without true positives); Model Monitor
derives true_negative_rate = 1 - false_positive_rate and false_negative_rate = 1 - recall.
auc is the area under the ROC curve over every distinct probability (scikit-learn's roc_auc_score);
au_prc is Spark's areaUnderPR, the trapezoids under (recall, precision) from (0, first precision).
The "best constant classifier" is Model Monitor's: one that calls everything fraud.

A metric whose denominator is zero (recall without frauds, precision without fraud predictions, auc
with one class) is NaN: undefined, reported, never a violation. scikit-learn reports 0 instead.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

SCALARS = (
    "recall", "precision", "accuracy",
    "recall_best_constant_classifier", "precision_best_constant_classifier", "accuracy_best_constant_classifier",
    "true_positive_rate", "true_negative_rate", "false_positive_rate", "false_negative_rate",
    "auc", "au_prc", "f0_5", "f1", "f2",
    "f0_5_best_constant_classifier", "f1_best_constant_classifier", "f2_best_constant_classifier",
)
_BETAS = {"f0_5": 0.5, "f1": 1.0, "f2": 2.0}
CURVE_POINTS = 1000  # curves longer than this keep evenly spaced points (first and last included)
NAN = math.nan
Points = tuple[np.ndarray, np.ndarray]  # (x, y) of a curve, before thinning


@dataclass(frozen=True)
class ConfusionMatrix:
    """The counts every threshold metric comes from: a partition's partial state, merged by adding."""

    true_negatives: int
    false_positives: int
    false_negatives: int
    true_positives: int

    def __add__(self, other: ConfusionMatrix) -> ConfusionMatrix:
        return ConfusionMatrix(self.true_negatives + other.true_negatives, self.false_positives + other.false_positives,
                               self.false_negatives + other.false_negatives, self.true_positives + other.true_positives)


@dataclass(frozen=True)
class Curve:
    x: tuple[float, ...]
    y: tuple[float, ...]


@dataclass(frozen=True)
class BinaryMetrics:
    confusion: ConfusionMatrix
    values: Mapping[str, float]  # every name in SCALARS, in that order
    roc: Curve  # x: false positive rates, y: true positive rates
    precision_recall: Curve  # x: recalls, y: precisions


def binary_metrics(labels: np.ndarray, probabilities: np.ndarray, threshold: float) -> BinaryMetrics:
    """Every metric of at least one labelled prediction."""
    confusion, values, roc, pr = _evaluate(labels, probabilities, threshold)
    return BinaryMetrics(confusion, values, _curve(roc), _curve(pr))


def scalar_metrics(labels: np.ndarray, probabilities: np.ndarray, threshold: float) -> dict[str, float]:
    """The SCALARS only (no curves built): what the standard deviations are computed from."""
    return _evaluate(labels, probabilities, threshold)[1]


def _evaluate(labels: np.ndarray, probabilities: np.ndarray,
              threshold: float) -> tuple[ConfusionMatrix, dict[str, float], Points | None, Points | None]:
    confusion, values = _scalars(labels, probabilities, threshold)
    fps, tps = _ranking(labels, probabilities)
    roc, pr = _roc(fps, tps), _precision_recall(fps, tps)
    values["auc"], values["au_prc"] = _area(roc), _area(pr)
    return confusion, {name: values[name] for name in SCALARS}, roc, pr


def _scalars(
    labels: np.ndarray, probabilities: np.ndarray, threshold: float
) -> tuple[ConfusionMatrix, dict[str, float]]:
    confusion = confusion_matrix(labels, probabilities, threshold)
    return confusion, threshold_metrics(confusion)


def confusion_matrix(labels: np.ndarray, probabilities: np.ndarray, threshold: float) -> ConfusionMatrix:
    actual = labels.astype(bool)
    predicted = probabilities >= threshold
    tp = int(np.count_nonzero(actual & predicted))
    fp = int(np.count_nonzero(~actual & predicted))
    fn = int(np.count_nonzero(actual & ~predicted))
    return ConfusionMatrix(len(labels) - tp - fp - fn, fp, fn, tp)


def threshold_metrics(confusion: ConfusionMatrix) -> dict[str, float]:
    """Every metric but auc and au_prc (which rank every probability), from the counts alone."""
    tn, fp, fn, tp = (confusion.true_negatives, confusion.false_positives, confusion.false_negatives,
                      confusion.true_positives)
    total = tn + fp + fn + tp
    positives, negatives = tp + fn, tn + fp
    recall = _ratio(tp, positives)
    false_positive_rate = _ratio(fp, negatives)
    base_rate = positives / total
    values = {
        "recall": recall,
        "precision": _ratio(tp, tp + fp),
        "accuracy": (tp + tn) / total,
        "recall_best_constant_classifier": 1.0 if positives else NAN,
        "precision_best_constant_classifier": base_rate,
        "accuracy_best_constant_classifier": base_rate,
        "true_positive_rate": recall,
        "true_negative_rate": 1.0 - false_positive_rate,
        "false_positive_rate": false_positive_rate,
        "false_negative_rate": 1.0 - recall,
    }
    for name, beta in _BETAS.items():
        values[name] = _f_beta(beta, tp, fp, fn)
        values[f"{name}_best_constant_classifier"] = _f_beta(beta, positives, negatives, 0) if positives else NAN
    return values


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else NAN


def _f_beta(beta: float, tp: int, fp: int, fn: int) -> float:
    if not tp:
        return 0.0 if fp + fn else NAN
    precision, recall, squared = tp / (tp + fp), tp / (tp + fn), beta * beta
    # Spark's form of the formula (Model Monitor's): it reproduces the analyzer's floats to the last digit.
    return (1.0 + squared) * (precision * recall) / (squared * precision + recall)


def _ranking(labels: np.ndarray, probabilities: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cumulative false and true positives when the threshold steps down through each distinct probability."""
    order = np.argsort(-probabilities, kind="mergesort")
    ranked, hits = probabilities[order], labels[order].astype(np.int64)
    last_of_each = np.r_[np.flatnonzero(np.diff(ranked)), len(ranked) - 1]  # ties form one step
    tps = np.cumsum(hits)[last_of_each]
    return last_of_each + 1 - tps, tps


def _roc(fps: np.ndarray, tps: np.ndarray) -> Points | None:
    if not fps[-1] or not tps[-1]:
        return None  # one class only: no ROC curve
    return np.r_[0.0, fps / fps[-1]], np.r_[0.0, tps / tps[-1]]


def _precision_recall(fps: np.ndarray, tps: np.ndarray) -> Points | None:
    if not tps[-1]:
        return None  # no frauds: recall is undefined
    precisions = tps / (tps + fps)
    return np.r_[0.0, tps / tps[-1]], np.r_[precisions[0], precisions]


def _area(points: Points | None) -> float:
    if points is None:
        return NAN
    x, y = points
    return float(np.sum(np.diff(x) * (y[1:] + y[:-1]) / 2.0))


def _curve(points: Points | None) -> Curve:
    if points is None:
        return Curve((), ())
    x, y = points
    if len(x) > CURVE_POINTS:
        keep = np.unique(np.linspace(0, len(x) - 1, CURVE_POINTS).round().astype(int))
        x, y = x[keep], y[keep]
    return Curve(tuple(x.tolist()), tuple(y.tolist()))
