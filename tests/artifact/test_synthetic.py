from __future__ import annotations

import re

import numpy as np
import pytest

from fraudspec.core.errors import FraudspecError
from fraudspec.spec.model import Feature
from fraudspec.training.dataset import to_csv
from fraudspec.training.synthetic import (
    Drift,
    FeatureDrift,
    apply_drift,
    family,
    generate,
    generate_drifted,
    parse_drift,
)


def test_same_seed_same_data_other_seed_other_data(example_features):
    first = generate(example_features, 2000, seed=7)
    assert to_csv(first) == to_csv(generate(example_features, 2000, seed=7))
    assert to_csv(first) != to_csv(generate(example_features, 2000, seed=8))


def test_columns_do_not_depend_on_the_other_features(example_features):
    alone = generate([Feature("amount")], 500, seed=3)
    together = generate(list(reversed(example_features)), 500, seed=3)
    np.testing.assert_array_equal(alone.column("amount"), together.column("amount"))


def test_exact_fraud_rate_and_realistic_shapes(example_features):
    data = generate(example_features, 10000, seed=1, fraud_rate=0.02)
    assert data.y.sum() == 200
    counts = data.column("txn_count_1h")
    assert np.all(counts >= 0) and np.all(counts == np.round(counts))
    amounts = data.column("amount")
    assert np.all(amounts > 0)
    assert np.all(np.abs(amounts * 100 - np.round(amounts * 100)) < 1e-6)  # cents
    legit = np.log(amounts[data.y == 0])
    assert abs(np.median(legit) - 3.5) < 0.1 and abs(legit.std() - 1.0) < 0.1  # log-normal(3.5, 1)
    assert not np.isnan(data.X).any()


def test_fraud_signal_lives_in_velocity_and_amount_only(example_features):
    data = generate(example_features, 20000, seed=2)
    fraud, legit = data.y == 1, data.y == 0
    for name in ("txn_count_1h", "merchant_count_24h", "amount", "txn_amount_1h"):
        assert data.column(name)[fraud].mean() > 2 * data.column(name)[legit].mean(), name
    history = data.column("avg_amount_7d")
    assert abs(np.median(history[fraud]) / np.median(history[legit]) - 1) < 0.15


def test_unknown_names_and_categorical_features_get_generic_distributions():
    features = [Feature("risk_score"), Feature("merchant_country", "categorical"), Feature("tier", "categorical")]
    data = generate(features, 3000, seed=5)
    assert family(features[0]) == "score"
    assert abs(data.column("risk_score")[data.y == 0].mean()) < 0.1
    assert set(data.column("merchant_country")) <= {"SG", "MY", "ID", "TH", "PH", "VN", "US", "GB"}
    assert set(data.column("tier")) == {"a", "b", "c", "d", "e"}
    assert data.categories["tier"] == ("a", "b", "c", "d", "e")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("amount=x3", {"amount": FeatureDrift(scale=3.0)}),
        ("amount=x3,txn_count_1h=+5", {"amount": FeatureDrift(scale=3.0), "txn_count_1h": FeatureDrift(shift=5.0)}),
        ("amount=-2.5", {"amount": FeatureDrift(shift=-2.5)}),
        ("txn_count_1h=+20@5%", {"txn_count_1h": FeatureDrift(shift=20.0, rows=0.05)}),
        ("amount=*2, amount=missing:0.1", {"amount": FeatureDrift(scale=2.0, missing=0.1)}),
        ("country=unseen:20%", {"country": FeatureDrift(unseen=0.2)}),
    ],
)
def test_parse_drift(text, expected):
    assert dict(parse_drift(text).features) == expected


@pytest.mark.parametrize("text", ["amount", "amount=3", "amount=x", "amount=missing:150%", "=x3", "amount=x3@2"])
def test_parse_drift_rejects_bad_items(text):
    with pytest.raises(FraudspecError) as error:
        parse_drift(text)
    assert "amount" in str(error.value) or "=x3" in str(error.value)
    assert error.value.hint


def test_drift_scales_shifts_and_bursts(example_features):
    base = generate(example_features, 4000, seed=4)
    drifted = generate_drifted(example_features, 4000, seed=4, drift="amount=x3,txn_count_1h=+20@10%")
    np.testing.assert_allclose(drifted.column("amount"), np.round(base.column("amount") * 3, 2))
    burst = drifted.column("txn_count_1h") - base.column("txn_count_1h")
    assert set(np.unique(burst)) == {0.0, 20.0}
    assert 0.07 < np.mean(burst == 20) < 0.13
    np.testing.assert_array_equal(drifted.column("avg_amount_7d"), base.column("avg_amount_7d"))
    np.testing.assert_array_equal(drifted.y, base.y)


def test_drift_missing_values_and_unseen_categories():
    features = [Feature("amount"), Feature("merchant_country", "categorical")]
    drift = Drift({"amount": FeatureDrift(missing=0.3), "merchant_country": FeatureDrift(unseen=0.5)})
    drifted = apply_drift(generate(features, 2000, seed=9), drift, seed=9)
    assert 0.25 < np.isnan(drifted.column("amount")).mean() < 0.35
    countries = drifted.column("merchant_country")
    unseen = [c for c in countries if c.startswith("merchant_country_new_")]
    assert 0.45 < len(unseen) / len(countries) < 0.55
    assert "merchant_country_new_1" in to_csv(drifted)


@pytest.mark.parametrize(
    ("drift", "message"),
    [
        ("nope=x2", "unknown feature(s) nope"),
        ("merchant_country=x2", "cannot scale or shift categorical"),
        ("amount=unseen:10%", "applies to categorical"),
    ],
)
def test_drift_that_does_not_fit_the_features_is_an_error(drift, message):
    features = [Feature("amount"), Feature("merchant_country", "categorical")]
    with pytest.raises(FraudspecError, match=re.escape(message)):
        generate_drifted(features, 100, seed=1, drift=drift)
