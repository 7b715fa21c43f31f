"""The portable model: plain numpy arrays plus a JSON manifest, evaluated with numpy only.

Files (at the root of model.tar.gz):
    manifest.json   format, features (order, type, categories), algorithm, decision threshold,
                    estimator parameters, and for every array its file, dtype, shape and sha256
    <name>.npy      the arrays, saved without pickle and loaded with allow_pickle=False

Estimators:
    tree_ensemble   random forests and histogram gradient boosting, flattened into one node table
                    (feature, threshold, children, missing_left, value) plus each tree's root.
                    "mean": the average of the trees' leaf probabilities (RandomForest);
                    "logistic": sigmoid(baseline + sum of leaf values) (HistGradientBoosting).
    linear          logistic regression after median imputation and standardisation.

Categorical features are one-hot encoded over the training categories listed in the manifest;
a missing or unseen category encodes as all zeros, the same as "none of the known ones".
"""

from __future__ import annotations

import hashlib
import io
import json
import os

import numpy as np

FORMAT = "fraudspec-model"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
# Rows per traversal block: keeps the (rows x trees) index arrays cache-sized for big batches.
_BLOCK_ROWS = 256


class ModelFormatError(Exception):
    """The model files are missing, corrupt, or of a format this code does not know."""


def _sigmoid(z: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):  # exp overflow is the correct limit: probability 0
        return 1.0 / (1.0 + np.exp(-z))


class Encoder:
    """Turns raw feature values into the estimator's input matrix.

    Raw values are one float per spec feature: the number itself for numeric features, the index
    into the manifest's `categories` for categorical ones, NaN for missing (or unseen) values.
    """

    def __init__(self, features: list[dict]) -> None:
        self.names: tuple[str, ...] = tuple(f["name"] for f in features)
        self.categorical: dict[str, dict[str, int]] = {
            f["name"]: {value: i for i, value in enumerate(f["categories"])}
            for f in features
            if f["type"] == "categorical"
        }
        self._blocks: list[tuple[int, int]] = []  # (raw column, first one-hot column) per categorical
        numeric_src: list[int] = []
        numeric_dst: list[int] = []
        width = 0
        for i, feature in enumerate(features):
            if feature["type"] == "categorical":
                self._blocks.append((i, width))
                width += len(feature["categories"])
            else:
                numeric_src.append(i)
                numeric_dst.append(width)
                width += 1
        self.width = width
        self._numeric_src = np.array(numeric_src, dtype=np.intp)
        self._numeric_dst = np.array(numeric_dst, dtype=np.intp)

    def code(self, name: str, value: str) -> float:
        """The raw value of a category: its index, or NaN when training never saw it."""
        return float(self.categorical[name].get(value, np.nan))

    def expand(self, raw: np.ndarray) -> np.ndarray:
        if not self._blocks:
            return raw  # numeric-only models: the raw matrix is the input matrix
        out = np.zeros((raw.shape[0], self.width))
        out[:, self._numeric_dst] = raw[:, self._numeric_src]
        for column, start in self._blocks:
            codes = raw[:, column]
            known = np.flatnonzero(~np.isnan(codes))
            out[known, start + codes[known].astype(np.intp)] = 1.0
        return out


class TreeEnsemble:
    """All trees in one node table, evaluated for every (row, tree) pair at once.

    Leaves point to themselves, so `max_depth` steps of "go left or right" land every pair on its
    leaf without per-pair bookkeeping. In memory a node i is addressed as 2i: slot 2i holds its
    left child and 2i+1 its right one (also as 2j), so a step is the single gather
    `children[node + went_right]`; per-node arrays are repeated to be indexed the same way.
    """

    def __init__(self, params: dict, arrays: dict[str, np.ndarray]) -> None:
        self.children = 2 * arrays["children"].astype(np.intp)
        self.feature = np.repeat(arrays["feature"].astype(np.intp), 2)
        self.threshold = np.repeat(arrays["threshold"], 2)
        self.missing_right = np.repeat(~arrays["missing_left"], 2)
        self.value = np.repeat(arrays["value"], 2)
        self.roots = 2 * arrays["roots"].astype(np.intp)
        self.max_depth = int(params["max_depth"])
        self.aggregate = params["aggregate"]
        self.baseline = float(params.get("baseline", 0.0))
        # scikit-learn's decision trees compare float32 inputs; gradient boosting uses float64.
        self.input_dtype = np.dtype(params["input_dtype"])
        if self.aggregate not in ("mean", "logistic"):
            raise ModelFormatError(f"unknown tree aggregate {self.aggregate!r}")

    def fraud_probability(self, X: np.ndarray) -> np.ndarray:
        X = np.ascontiguousarray(X, dtype=self.input_dtype)
        if X.shape[0] <= _BLOCK_ROWS:
            totals = self._leaf_totals(X)
        else:
            totals = np.concatenate(
                [self._leaf_totals(X[i : i + _BLOCK_ROWS]) for i in range(0, X.shape[0], _BLOCK_ROWS)]
            )
        if self.aggregate == "mean":
            return totals / len(self.roots)
        return _sigmoid(self.baseline + totals)

    def _leaf_totals(self, X: np.ndarray) -> np.ndarray:
        rows, width = X.shape
        flat = X.ravel()
        # Row r's values start at r * width in `flat`; one row needs no offsets (the common request).
        offsets = (np.arange(rows, dtype=np.intp) * width)[:, None] if rows > 1 else 0
        node = np.broadcast_to(self.roots, (rows, len(self.roots)))
        has_missing = bool(np.isnan(flat).any())
        for _ in range(self.max_depth):
            x = flat[self.feature[node] + offsets]
            right = x > self.threshold[node]  # NaN compares False here ...
            if has_missing:  # ... and follows the trained missing-value direction instead
                right = np.where(np.isnan(x), self.missing_right[node], right)
            node = self.children[node + right]
        return self.value[node].sum(axis=1)


class Linear:
    """Logistic regression: impute medians, standardise, dot product, sigmoid."""

    def __init__(self, params: dict, arrays: dict[str, np.ndarray]) -> None:
        self.fill = arrays["fill"]
        self.mean = arrays["mean"]
        self.scale = arrays["scale"]
        self.coef = arrays["coef"]
        self.intercept = float(params["intercept"])

    def fraud_probability(self, X: np.ndarray) -> np.ndarray:
        X = np.where(np.isnan(X), self.fill, X)
        return _sigmoid((X - self.mean) / self.scale @ self.coef + self.intercept)


def make_estimator(params: dict, arrays: dict[str, np.ndarray]) -> TreeEnsemble | Linear:
    """The estimator a manifest's `estimator` section describes."""
    kinds: dict[str, type[TreeEnsemble] | type[Linear]] = {"tree_ensemble": TreeEnsemble, "linear": Linear}
    if params.get("kind") not in kinds:
        raise ModelFormatError(f"unknown estimator kind {params.get('kind')!r}")
    return kinds[params["kind"]](params, arrays)


class Model:
    """A loaded artifact: the encoder, the estimator and the decision threshold."""

    def __init__(self, manifest: dict, arrays: dict[str, np.ndarray]) -> None:
        _check_format(manifest)
        self.manifest = manifest
        self.encoder = Encoder(manifest["features"])
        self.estimator = make_estimator(manifest["estimator"], arrays)
        self.threshold = float(manifest["decision_threshold"])

    @property
    def feature_names(self) -> tuple[str, ...]:
        return self.encoder.names

    def fraud_probability(self, raw: np.ndarray) -> np.ndarray:
        """P(fraud) for raw feature rows, shape (n, len(feature_names)) -> (n,)."""
        return self.estimator.fraud_probability(self.encoder.expand(raw))


def _check_format(manifest: dict) -> None:
    found = (manifest.get("format"), manifest.get("format_version")) if isinstance(manifest, dict) else (None, None)
    if found != (FORMAT, FORMAT_VERSION):
        raise ModelFormatError(f"not a {FORMAT} v{FORMAT_VERSION} manifest: format {found[0]!r} v{found[1]!r}")


def load(model_dir: str) -> Model:
    """Read manifest.json and its arrays from `model_dir`, checking every array's sha256."""
    try:
        with open(os.path.join(model_dir, MANIFEST), encoding="utf-8") as handle:
            manifest = json.load(handle)
    except (OSError, ValueError) as error:
        raise ModelFormatError(f"cannot read {MANIFEST} in {model_dir}: {error}") from error
    _check_format(manifest)
    try:
        arrays = {name: _load_array(model_dir, entry) for name, entry in manifest["arrays"].items()}
        return Model(manifest, arrays)
    except (KeyError, TypeError, AttributeError) as error:
        raise ModelFormatError(f"{MANIFEST} in {model_dir} is incomplete: {error!r}") from error


def _load_array(model_dir: str, entry: dict) -> np.ndarray:
    if os.path.basename(entry["file"]) != entry["file"]:
        raise ModelFormatError(f"array file {entry['file']!r} is not a plain name in the model directory")
    path = os.path.join(model_dir, entry["file"])
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise ModelFormatError(f"cannot read model array {entry['file']}: {error}") from error
    if hashlib.sha256(data).hexdigest() != entry["sha256"]:
        raise ModelFormatError(f"{entry['file']} does not match the sha256 in {MANIFEST}")
    array = np.load(io.BytesIO(data), allow_pickle=False)
    if array.dtype.str != entry["dtype"] or list(array.shape) != entry["shape"]:
        raise ModelFormatError(
            f"{entry['file']} has dtype {array.dtype.str} shape {list(array.shape)}, "
            f"the manifest says {entry['dtype']} {entry['shape']}"
        )
    return array
