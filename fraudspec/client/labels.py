"""Ground truth for test traffic: labels that disagree with the model, deterministic by seed, so a
demo or a test replays exactly."""

from __future__ import annotations

import random
from collections.abc import Sequence


def noisy_labels(labels: Sequence[int], flip_rate: float, seed: int) -> tuple[int, ...]:
    """Each label flipped with probability `flip_rate`: degraded ground truth lowers every quality metric."""
    if not 0.0 <= flip_rate <= 1.0:
        raise ValueError(f"flip_rate must be within [0, 1], got {flip_rate}")
    draw = random.Random(seed).random
    return tuple(1 - label if draw() < flip_rate else label for label in labels)

