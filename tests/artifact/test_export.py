"""The portable model reproduces scikit-learn's predict_proba to 1e-9, from its files alone."""

from __future__ import annotations

import json

import numpy as np
import pytest

from fraudspec.artifact import export
from fraudspec.artifact.handler import predictor
from fraudspec.core.errors import FraudspecError
from fraudspec.spec.model import Feature
from fraudspec.training import train
from fraudspec.training.synthetic import generate_drifted

FEATURES = (
    Feature("txn_count_1h"),
    Feature("amount"),
    Feature("avg_amount_7d"),
    Feature("merchant_country", "categorical"),
    Feature("risk_score"),
)
HYPERPARAMETERS = {
    "random_forest": {"n_estimators": 30},
    "gradient_boosting": {"max_iter": 60},
    "logistic_regression": {},
}


@pytest.fixture(scope="module")
def training():
    # Missing values in training, so trees learn where missing values go.
    data = generate_drifted(FEATURES, 3000, seed=11, drift="amount=missing:5%,merchant_country=missing:5%")
    features = export.feature_manifest(data)
    encoder = predictor.Encoder(features)
    return data, features, encoder


def _random_rows(encoder: predictor.Encoder, thresholds: np.ndarray, rows: int = 10_000) -> np.ndarray:
    """Values spread over and beyond the training range, values exactly at split thresholds
    (where "<=" versus "<" would show), 10% missing, and unseen categories."""
    rng = np.random.default_rng(0)
    shape = (rows, len(encoder.names))
    raw = rng.lognormal(2.0, 2.0, shape) * rng.choice([-1, 1], shape)
    at_threshold = rng.random(shape) < 0.2
    raw[at_threshold] = rng.choice(thresholds, at_threshold.sum())
    raw[rng.random(shape) < 0.1] = np.nan
    known = len(encoder.categorical["merchant_country"])
    codes = rng.integers(0, known + 2, rows).astype(float)
    codes[codes >= known] = np.nan  # missing or unseen: both encode as no known category
    raw[:, encoder.names.index("merchant_country")] = codes
    return raw


def _load(tmp_path, exported, algorithm, features) -> predictor.Model:
    files = export.model_files(exported, algorithm=algorithm, features=features, target="is_fraud",
                               decision_threshold=0.5, hyperparameters={}, metrics={"roc_auc": 0.9})
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    return predictor.load(str(tmp_path))


@pytest.mark.parametrize("algorithm", sorted(HYPERPARAMETERS))
def test_portable_model_matches_predict_proba_on_10000_random_rows(tmp_path, training, algorithm):
    data, features, encoder = training
    vocabulary = {f["name"]: f["categories"] for f in features if f["type"] == "categorical"}
    fitted = train.fit(algorithm, HYPERPARAMETERS[algorithm], encoder.expand(data.matrix(vocabulary)), data.y)
    exported = export.export(algorithm, fitted)
    model = _load(tmp_path, exported, algorithm, features)
    thresholds = exported.arrays.get("threshold", np.array([0.0, 1.0]))
    thresholds = thresholds[np.isfinite(thresholds)]  # missing-value-only splits have +inf
    raw = _random_rows(encoder, thresholds)
    expected = fitted.predict_proba(encoder.expand(raw))[:, 1]
    actual = model.fraud_probability(raw)
    assert np.isnan(raw).mean() > 0.05
    assert expected.std() > 0.01  # the rows reach many different leaves / scores
    np.testing.assert_allclose(actual, expected, rtol=0, atol=1e-9)


def test_manifest_describes_features_arrays_and_versions(tmp_path, training):
    data, features, encoder = training
    fitted = train.fit("random_forest", {"n_estimators": 3}, encoder.expand(data.X), data.y)
    model = _load(tmp_path, export.export("random_forest", fitted), "random_forest", features)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert [f["name"] for f in manifest["features"]] == [f.name for f in FEATURES]
    assert manifest["features"][3]["categories"] == list(data.categories["merchant_country"])
    assert manifest["classes"] == [0, 1] and manifest["algorithm"] == "random_forest"
    assert set(manifest["versions"]) == {"fraudspec", "python", "numpy", "scikit-learn"}
    assert manifest["metrics"] == {"roc_auc": 0.9}
    assert model.feature_names == tuple(f.name for f in FEATURES)
    assert encoder.width == 4 + len(data.categories["merchant_country"])


def test_a_tampered_array_is_refused(tmp_path, training):
    data, features, encoder = training
    fitted = train.fit("logistic_regression", {}, encoder.expand(data.X), data.y)
    _load(tmp_path, export.export("logistic_regression", fitted), "logistic_regression", features)
    coef = np.load(tmp_path / "coef.npy")
    np.save(tmp_path / "coef.npy", coef * 2)
    with pytest.raises(predictor.ModelFormatError, match=r"coef\.npy does not match the sha256"):
        predictor.load(str(tmp_path))


def test_an_unknown_format_is_refused(tmp_path):
    (tmp_path / "manifest.json").write_text(json.dumps({"format": "pickle", "format_version": 1}))
    with pytest.raises(predictor.ModelFormatError, match="not a fraudspec-model v1 manifest"):
        predictor.load(str(tmp_path))


def test_one_hot_encoding_leaves_missing_and_unseen_categories_all_zero():
    encoder = predictor.Encoder([{"name": "amount", "type": "numeric"},
                                 {"name": "country", "type": "categorical", "categories": ["MY", "SG"]}])
    raw = np.array([[1.5, encoder.code("country", "SG")], [2.0, encoder.code("country", "XX")], [np.nan, 0.0]])
    np.testing.assert_array_equal(encoder.expand(raw), [[1.5, 0, 1], [2.0, 0, 0], [np.nan, 1, 0]])


def test_gradient_boosting_native_categoricals_are_refused(training):
    data, _, _encoder = training
    fitted = train.fit("gradient_boosting", {"max_iter": 5, "categorical_features": [3]}, data.X, data.y)
    with pytest.raises(FraudspecError, match="categorical_features cannot be exported"):
        export.export("gradient_boosting", fitted)
