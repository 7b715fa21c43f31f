"""Trained scikit-learn estimator -> the portable model (plain arrays + manifest, no pickle).

The arrays are what `handler/predictor.py` evaluates; see its docstring for their meaning.
Every file is serialised deterministically: the same model gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import platform
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata
from typing import Any

import numpy as np

from fraudspec import __version__
from fraudspec.artifact.handler import predictor
from fraudspec.core.errors import FraudspecError
from fraudspec.training import train
from fraudspec.training.dataset import Dataset


@dataclass(frozen=True)
class Exported:
    """The estimator section of the manifest and its arrays."""

    estimator: dict[str, Any]
    arrays: dict[str, np.ndarray]


def feature_manifest(dataset: Dataset) -> list[dict[str, Any]]:
    """Features in spec order; categorical ones carry their training vocabulary (the one-hot columns)."""
    return [
        {"name": f.name, "type": f.type, "categories": list(dataset.categories[f.name])}
        if f.type == "categorical"
        else {"name": f.name, "type": f.type}
        for f in dataset.features
    ]


def export(algorithm: str, fitted) -> Exported:
    if algorithm == "random_forest":
        return _forest(fitted)
    if algorithm == "gradient_boosting":
        return _boosting(fitted)
    if algorithm == "logistic_regression":
        return _linear(fitted)
    raise ValueError(f"no exporter for {algorithm!r}")


def _check_binary(classes) -> None:
    if list(classes) != [0, 1]:
        raise FraudspecError(f"the model must learn classes [0, 1], it learnt {list(classes)}",
                             rule=train.RULE_TRAINING,
                             hint="the training split needs both fraud (1) and legitimate (0) rows")


def _tree_table(trees: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Concatenate per-tree node arrays into one table; leaves become self-loops."""
    parts: dict[str, list[np.ndarray]] = {k: [] for k in ("feature", "threshold", "children", "missing_left", "value")}
    roots, offset = [], 0
    for tree in trees:
        count = len(tree["value"])
        own = np.arange(count)
        leaf = tree["is_leaf"]
        left = np.where(leaf, own, tree["left"]) + offset
        right = np.where(leaf, own, tree["right"]) + offset
        parts["feature"].append(np.where(leaf, 0, tree["feature"]))
        parts["threshold"].append(np.where(leaf, 0.0, tree["threshold"]))
        parts["children"].append(np.stack([left, right], axis=1).ravel())
        parts["missing_left"].append(tree["missing_left"].astype(bool))
        parts["value"].append(tree["value"])
        roots.append(offset)
        offset += count
    if offset >= 2**31:
        raise FraudspecError(f"the model has {offset} tree nodes, over the 2**31 the artifact supports",
                             rule=train.RULE_TRAINING,
                             hint="lower n_estimators / max_iter or limit tree depth")
    return {
        "feature": np.concatenate(parts["feature"]).astype("<i4"),
        "threshold": np.concatenate(parts["threshold"]).astype("<f8"),
        "children": np.concatenate(parts["children"]).astype("<i4"),
        "missing_left": np.concatenate(parts["missing_left"]).astype("|b1"),
        "value": np.concatenate(parts["value"]).astype("<f8"),
        "roots": np.array(roots, dtype="<i4"),
    }


def _forest(forest) -> Exported:
    _check_binary(forest.classes_)
    trees = []
    for estimator in forest.estimators_:
        tree = estimator.tree_
        trees.append({
            "is_leaf": tree.children_left == -1,
            "left": tree.children_left,
            "right": tree.children_right,
            "feature": tree.feature,
            "threshold": tree.threshold,
            "missing_left": tree.missing_go_to_left,
            # predict_proba returns the leaf's stored class fractions as they are (scikit-learn
            # >= 1.4 stores fractions in tree_.value), so the fraud column is the leaf value.
            "value": tree.value[:, 0, 1],
        })
    depth = max(e.tree_.max_depth for e in forest.estimators_)
    params = {"kind": "tree_ensemble", "aggregate": "mean", "input_dtype": "float32", "max_depth": int(depth)}
    return Exported(params, _tree_table(trees))


def _boosting(model) -> Exported:
    _check_binary(model.classes_)
    trees, depth = [], 0
    for (predictor_,) in model._predictors:  # one tree per iteration for a binary classifier
        nodes = predictor_.nodes
        if nodes["is_categorical"].any():
            raise FraudspecError("gradient_boosting with categorical_features cannot be exported",
                                 rule=train.RULE_TRAINING,
                                 hint="remove categorical_features from model.hyperparameters; "
                                      "fraudspec one-hot encodes categorical features itself")
        trees.append({
            "is_leaf": nodes["is_leaf"].astype(bool),
            "left": nodes["left"].astype(np.int64),
            "right": nodes["right"].astype(np.int64),
            "feature": nodes["feature_idx"],
            "threshold": nodes["num_threshold"],
            "missing_left": nodes["missing_go_to_left"],
            "value": nodes["value"],
        })
        depth = max(depth, int(nodes["depth"].max()))
    params = {
        "kind": "tree_ensemble",
        "aggregate": "logistic",
        "input_dtype": "float64",
        "max_depth": depth,
        "baseline": float(np.ravel(model._baseline_prediction)[0]),
    }
    return Exported(params, _tree_table(trees))


def _linear(pipeline) -> Exported:
    imputer, scaler, model = (pipeline.named_steps[name] for name in ("impute", "scale", "model"))
    _check_binary(model.classes_)
    arrays = {
        "fill": imputer.statistics_.astype("<f8"),
        "mean": scaler.mean_.astype("<f8"),
        "scale": scaler.scale_.astype("<f8"),
        "coef": model.coef_[0].astype("<f8"),
    }
    return Exported({"kind": "linear", "intercept": float(model.intercept_[0])}, arrays)


def npy_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.ascontiguousarray(array), version=(1, 0), allow_pickle=False)
    return buffer.getvalue()


def library_versions() -> dict[str, str]:
    return {"fraudspec": __version__, "python": platform.python_version(), "numpy": np.__version__,
            "scikit-learn": metadata.version("scikit-learn")}


def model_files(
    exported: Exported,
    *,
    algorithm: str,
    features: list[dict[str, Any]],
    target: str,
    decision_threshold: float,
    hyperparameters: Mapping[str, Any],
    metrics: Mapping[str, Any],
) -> dict[str, bytes]:
    """manifest.json plus one .npy per array, keyed by their path in the artifact."""
    files = {f"{name}.npy": npy_bytes(array) for name, array in sorted(exported.arrays.items())}
    manifest = {
        "format": predictor.FORMAT,
        "format_version": predictor.FORMAT_VERSION,
        "algorithm": algorithm,
        "features": features,
        "target": target,
        "classes": [0, 1],
        "decision_threshold": decision_threshold,
        "estimator": exported.estimator,
        "arrays": {
            name: {
                "file": f"{name}.npy",
                "dtype": array.dtype.str,
                "shape": list(array.shape),
                "sha256": hashlib.sha256(files[f"{name}.npy"]).hexdigest(),
            }
            for name, array in sorted(exported.arrays.items())
        },
        "hyperparameters": dict(hyperparameters),
        "metrics": dict(metrics),
        "versions": library_versions(),
    }
    files[predictor.MANIFEST] = (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode("utf-8")
    return files
