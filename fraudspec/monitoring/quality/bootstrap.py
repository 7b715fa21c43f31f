"""Standard deviations of the metrics, by Model Monitor's method.

AWS documents it: with at least 200 labelled records, draw 80% of them (without replacement) five
times, compute each metric on every draw, and take the standard deviation of the five values.
Which standard deviation is unpublished: this is the sample one (ddof=1). The draws come from a
fixed seed, so the same records give the same deviations. Below 200 records, or when a draw leaves
a metric undefined, the deviation is NaN, which Model Monitor writes as "NaN".
"""

from __future__ import annotations

import math

import numpy as np

from fraudspec.monitoring.quality.binary import SCALARS, scalar_metrics

MIN_RECORDS = 200
DRAWS = 5
FRACTION = 0.8
SEED = 20240501


def standard_deviations(labels: np.ndarray, probabilities: np.ndarray, threshold: float,
                        seed: int = SEED) -> dict[str, float]:
    if len(labels) < MIN_RECORDS:
        return {name: math.nan for name in SCALARS}
    generator = np.random.default_rng(seed)
    size = int(len(labels) * FRACTION)
    draws = []
    for _ in range(DRAWS):
        rows = generator.choice(len(labels), size=size, replace=False)
        draws.append(scalar_metrics(labels[rows], probabilities[rows], threshold))
    return {name: float(np.std([draw[name] for draw in draws], ddof=1)) for name in SCALARS}
