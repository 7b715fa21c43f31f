"""Deequ's distances: its own example, scipy's KS statistic, hand-computed categorical cases."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats as scipy_stats

from fraudspec.monitoring.engine.distance import (
    chi_square_p_value,
    chi_square_survival,
    ks_distance,
    linf_distance,
    robust,
)
from fraudspec.monitoring.engine.kll import build_sketch, rank_error_bound


def sketch(values) -> object:
    return build_sketch(np.asarray(values, dtype=float))


def test_deequs_own_example() -> None:
    a, b = sketch([1, 2, 3, 4]), sketch([2, 3, 4, 5])
    assert ks_distance(a, b, "Simple") == 0.25
    assert ks_distance(a, b, "Robust") == 0.0


def test_robust_subtracts_deequs_small_sample_allowance() -> None:
    assert robust(0.5, 100, 100) == pytest.approx(0.5 - 1.8 * math.sqrt(200 / 10_000))
    assert robust(0.1, 10, 10) == 0.0


@pytest.mark.parametrize("seed", range(6))
def test_ks_equals_scipy_exactly_below_sketch_capacity(seed: int) -> None:
    rng = np.random.default_rng(seed)
    a = rng.normal(0, 1, rng.integers(5, 2050))
    b = np.round(rng.normal(0.2, 1.3, rng.integers(5, 2050)), 1)  # ties within and across samples
    if seed % 2:
        a = np.round(a, 1)
    # Exact: the same rank difference; scipy only orders the final float operations differently.
    assert ks_distance(sketch(a), sketch(b), "Simple") == pytest.approx(
        scipy_stats.ks_2samp(a, b).statistic, rel=0, abs=1e-15
    )


@pytest.mark.parametrize(("n", "m", "shift"), [(200_000, 50_000, 0.0), (120_000, 90_000, 0.1), (5_000, 300_000, 0.5)])
def test_ks_is_within_the_kll_error_bound_above_capacity(n: int, m: int, shift: float) -> None:
    rng = np.random.default_rng(n)
    a, b = rng.lognormal(3.5, 1.0, n), rng.lognormal(3.5 + shift, 1.0, m)
    exact = scipy_stats.ks_2samp(a, b).statistic
    assert abs(ks_distance(sketch(a), sketch(b), "Simple") - exact) <= rank_error_bound(n) + rank_error_bound(m)


def test_categorical_linf_compares_category_probabilities() -> None:
    baseline, current = {"SG": 6, "MY": 4}, {"SG": 2, "MY": 1, "ID": 1}
    assert linf_distance(baseline, current, "Simple") == pytest.approx(0.25)  # |0.6-0.5|, |0.4-0.25|, |0-0.25|
    assert linf_distance(baseline, current, "Robust") == 0.0


def test_chi_square_matches_scipy_when_no_regrouping_is_needed() -> None:
    baseline, current = {"a": 500, "b": 300, "c": 200}, {"a": 70, "b": 20, "c": 10, "unseen": 40}
    expected = np.array([500, 300, 200]) / 1000 * 100  # scaled to the current values in baseline categories
    reference = scipy_stats.chisquare([70, 20, 10], expected).pvalue
    assert chi_square_p_value(baseline, current) == pytest.approx(reference, rel=1e-9)


def test_chi_square_regroups_small_expected_categories_like_deequ() -> None:
    # Expected counts 45, 45, 6, 2, 2: two of five below 5 where one may be, so "d" merges into "e" (4);
    # of four, none may be below 5, so "e" merges into "c" (10); three remain, none below 5.
    baseline, current = {"a": 450, "b": 450, "c": 60, "d": 20, "e": 20}, {"a": 40, "b": 40, "c": 10, "d": 5, "e": 5}
    expected = np.array([45.0, 45.0, 10.0])
    observed = np.array([40, 40, 20])
    reference = scipy_stats.chisquare(observed, expected).pvalue
    assert chi_square_p_value(baseline, current) == pytest.approx(reference, rel=1e-9)


def test_chi_square_needs_two_categories_and_gives_zero_without_overlap() -> None:
    assert chi_square_p_value({"a": 10}, {"a": 3}) is None
    assert chi_square_p_value({"a": 10, "b": 10}, {"z": 3}) == 0.0


@pytest.mark.parametrize(
    ("statistic", "df"), [(0.5, 1), (3.84, 1), (10.0, 3), (2.0, 7), (60.0, 10), (1e-6, 2), (250.0, 40)]
)
def test_chi_square_survival_matches_scipy(statistic: float, df: int) -> None:
    assert chi_square_survival(statistic, df) == pytest.approx(scipy_stats.chi2.sf(statistic, df), rel=1e-9, abs=1e-300)
