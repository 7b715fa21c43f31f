"""Fit the spec's algorithm, measure it on the validation split, and apply the quality gate.

Algorithms and their defaults (the spec's hyperparameters override them):
    random_forest        RandomForestClassifier(n_estimators=100, random_state=0)
    gradient_boosting    HistGradientBoostingClassifier(random_state=0)
    logistic_regression  median imputation + standardisation + LogisticRegression(max_iter=1000)
Tree models take missing values natively; logistic regression imputes training medians.
Fitting uses one OpenMP/BLAS thread, so the model does not depend on the machine's core count.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np

from fraudspec.core.errors import FraudspecError, Location

DEFAULTS: Mapping[str, Mapping[str, Any]] = {
    "random_forest": {"n_estimators": 100, "random_state": 0},
    "gradient_boosting": {"random_state": 0},
    "logistic_regression": {"max_iter": 1000},
}
# Metrics the gate may name (the spec schema's list): all "higher is better", so the gate is a minimum.
GATE_METRICS = ("roc_auc", "pr_auc", "precision", "recall", "f1", "accuracy")
RULE_GATE = "FS702"  # the quality gate is unmet or names an unknown metric
RULE_TRAINING = "FS703"  # the algorithm or its hyperparameters cannot be trained or exported


def _estimator_class(algorithm: str):
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
    from sklearn.linear_model import LogisticRegression

    return {
        "random_forest": RandomForestClassifier,
        "gradient_boosting": HistGradientBoostingClassifier,
        "logistic_regression": LogisticRegression,
    }[algorithm]


def make_estimator(algorithm: str, hyperparameters: Mapping[str, Any], spec_file: str = ""):
    """The unfitted estimator; unknown hyperparameter names are a located FraudspecError."""
    if algorithm not in DEFAULTS:
        raise FraudspecError(f"unknown algorithm {algorithm!r}", location=Location(spec_file), rule=RULE_TRAINING,
                             hint=f"model.algorithm is one of {', '.join(DEFAULTS)}")
    cls = _estimator_class(algorithm)
    valid = sorted(cls().get_params())
    unknown = sorted(set(hyperparameters) - set(valid))
    if unknown:
        raise FraudspecError(
            f"{algorithm} has no hyperparameter(s) {', '.join(unknown)}", location=Location(spec_file),
            rule=RULE_TRAINING,
            hint=f"{cls.__name__} takes: {', '.join(valid)}",
        )
    estimator = cls(**{**DEFAULTS[algorithm], **hyperparameters})
    if algorithm != "logistic_regression":
        return estimator
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    # keep_empty_features: a column that is missing in every row still gets a (zero) weight,
    # so columns never shift between training and the exported arrays.
    return Pipeline([
        ("impute", SimpleImputer(strategy="median", keep_empty_features=True)),
        ("scale", StandardScaler()),
        ("model", estimator),
    ])


def fit(algorithm: str, hyperparameters: Mapping[str, Any], X: np.ndarray, y: np.ndarray, spec_file: str = ""):
    from threadpoolctl import threadpool_limits  # installed with scikit-learn

    estimator = make_estimator(algorithm, hyperparameters, spec_file)
    try:
        # One OpenMP/BLAS thread: parallel float reductions (gradient boosting's sums) would make
        # the model, and so the artifact's bytes, depend on the machine's core count.
        with warnings.catch_warnings(), threadpool_limits(limits=1):
            warnings.simplefilter("ignore")  # convergence chatter; the gate judges the result
            estimator.fit(X, y)
    except (ValueError, TypeError) as error:  # scikit-learn's InvalidParameterError is both
        raise FraudspecError(f"{algorithm} rejected its hyperparameters: {error}", location=Location(spec_file),
                             rule=RULE_TRAINING, hint="fix model.hyperparameters in the spec") from None
    return estimator


def evaluate(y: np.ndarray, fraud_probability: np.ndarray, threshold: float) -> dict[str, float]:
    from sklearn import metrics

    predicted = (fraud_probability >= threshold).astype(int)
    return {
        "roc_auc": float(metrics.roc_auc_score(y, fraud_probability)),
        "pr_auc": float(metrics.average_precision_score(y, fraud_probability)),  # average precision
        "precision": float(metrics.precision_score(y, predicted, zero_division=0)),
        "recall": float(metrics.recall_score(y, predicted, zero_division=0)),
        "f1": float(metrics.f1_score(y, predicted, zero_division=0)),
        "accuracy": float(metrics.accuracy_score(y, predicted)),
        "log_loss": float(metrics.log_loss(y, fraud_probability, labels=[0, 1])),
        "brier": float(metrics.brier_score_loss(y, fraud_probability)),
    }


def gate_results(gate: Mapping[str, float], measured: Mapping[str, float]) -> dict[str, dict[str, Any]]:
    """Each gate metric: its minimum, the measured value, and whether it passed."""
    return {
        name: {"minimum": minimum, "measured": measured[name], "passed": measured[name] >= minimum}
        for name, minimum in sorted(gate.items())
    }


def check_gate_names(gate: Mapping[str, float], spec_file: str = "") -> None:
    unknown = sorted(set(gate) - set(GATE_METRICS))
    if unknown:
        raise FraudspecError(f"the gate names unsupported metric(s) {', '.join(unknown)}", rule=RULE_GATE,
                             location=Location(spec_file), hint=f"model.gate may use {', '.join(GATE_METRICS)}")


def enforce_gate(results: Mapping[str, Mapping[str, Any]], spec_file: str = "") -> None:
    failed = [f"validation {name} {r['measured']:.4f} is below the gate's {r['minimum']}"
              for name, r in results.items() if not r["passed"]]
    if failed:
        raise FraudspecError(
            "quality gate failed: " + "; ".join(failed), location=Location(spec_file), rule=RULE_GATE,
            hint="improve the data or the hyperparameters, or lower model.gate; no model was packaged",
        )
