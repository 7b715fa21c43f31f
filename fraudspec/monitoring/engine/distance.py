"""Drift distances between a baseline and the current data (Deequ's `Distance`).

Numeric: the two-sample Kolmogorov-Smirnov statistic D between two KLL sketches, evaluated at the
union of their items with weighted ranks; n and m are the sketches' total weights. Categorical
LInfinity: the largest difference between category probabilities. Robust subtracts
1.8 * sqrt((n + m) / (n * m)) (Deequ's c(alpha) for alpha = 0.003) and floors at 0; Simple is D.

Categorical ChiSquared: Pearson's goodness-of-fit test of the current counts against the baseline
proportions, with Deequ's regrouping of small categories. It yields a p-value; so that every drift
distance grows with drift and is compared with `>`, the distance is 1 - p and the threshold it is
compared with is 1 - alpha, alpha being the configured categorical threshold.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from fraudspec.monitoring.engine.kll import KLLSketch

C_ALPHA = 1.8


def robust(simple: float, n: float, m: float) -> float:
    return max(0.0, simple - C_ALPHA * math.sqrt((n + m) / (n * m)))


def ks_distance(baseline: KLLSketch, current: KLLSketch, method: str) -> float:
    """Deequ's numericalDistance; both sketches must hold at least one value."""
    keys = np.union1d(baseline.sorted_items, current.sorted_items)
    n, m = float(baseline.count), float(current.count)
    simple = float(np.max(np.abs(baseline.rank(keys) / n - current.rank(keys) / m)))
    return simple if method == "Simple" else robust(simple, n, m)


def linf_distance(baseline: Mapping[str, int], current: Mapping[str, int], method: str) -> float:
    """Deequ's categorical LInfinity distance; both sides must hold at least one value."""
    n, m = float(sum(baseline.values())), float(sum(current.values()))
    simple = max(abs(baseline.get(key, 0) / n - current.get(key, 0) / m) for key in set(baseline) | set(current))
    return simple if method == "Simple" else robust(simple, n, m)


def chi_square_p_value(baseline: Mapping[str, int], current: Mapping[str, int]) -> float | None:
    """Deequ's categoricalChiSquareTest p-value, None when fewer than two categories remain.

    Current values outside the baseline categories do not enter the test (the domain check
    counts them); when no current value is a baseline category, the p-value is 0.
    """
    sample_sum = float(sum(count for key, count in current.items() if key in baseline))
    if sample_sum == 0:
        return 0.0
    expected_sum = float(sum(baseline.values()))
    expected = {key: count / expected_sum * sample_sum for key, count in baseline.items()}
    observed = {key: float(current.get(key, 0)) for key in baseline}
    _regroup(observed, expected)
    if len(expected) < 2:
        return None
    statistic = sum((observed[key] - e) ** 2 / e for key, e in expected.items())
    return chi_square_survival(statistic, len(expected) - 1)


def _regroup(observed: dict[str, float], expected: dict[str, float]) -> None:
    """Merge the smallest expected category into the next smallest until the test's rules of thumb hold.

    Two categories: every expected count >= 10 (Cochran). More: at most 20% of them below 5 (Yates).
    Ties go to the smaller key, so the result does not depend on dictionary order.
    """
    while len(expected) >= 2:
        floor, allowed = (10.0, 0) if len(expected) == 2 else (5.0, int(0.2 * len(expected)))
        if sum(1 for e in expected.values() if e < floor) <= allowed:
            return
        smallest, second = sorted(expected, key=lambda key: (expected[key], key))[:2]
        expected[second] += expected.pop(smallest)
        observed[second] += observed.pop(smallest)


def chi_square_survival(statistic: float, df: int) -> float:
    """P(X >= statistic) for X ~ chi-square(df): the regularized upper incomplete gamma Q(df/2, statistic/2)."""
    a, x = df / 2.0, statistic / 2.0
    if x <= 0:
        return 1.0
    log_front = a * math.log(x) - x - math.lgamma(a)
    if x < a + 1:  # the series for P converges fast here
        term = total = 1.0 / a
        k = a
        while abs(term) > abs(total) * 1e-16:
            k += 1
            term *= x / k
            total += term
        return max(0.0, 1.0 - total * math.exp(log_front))
    # Lentz's continued fraction for Q.
    tiny = 1e-300
    b = x + 1.0 - a
    c, d = 1.0 / tiny, 1.0 / b
    h = d
    i = 0
    while True:
        i += 1
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-16 or i > 10_000:
            return min(1.0, math.exp(log_front) * h)
