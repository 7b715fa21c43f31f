"""Ground truth for test traffic: labels that disagree with the model, and labels that arrive late.

Both are deterministic by seed, so a demo or a test replays exactly.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Sequence


def noisy_labels(labels: Sequence[int], flip_rate: float, seed: int) -> tuple[int, ...]:
    """Each label flipped with probability `flip_rate`: degraded ground truth lowers every quality metric."""
    if not 0.0 <= flip_rate <= 1.0:
        raise ValueError(f"flip_rate must be within [0, 1], got {flip_rate}")
    draw = random.Random(seed).random
    return tuple(1 - label if draw() < flip_rate else label for label in labels)


def arrival_times(sent: Sequence[datetime], delay: timedelta, spread: timedelta = timedelta(0),
                  seed: int = 0) -> tuple[datetime, ...]:
    """When each label becomes known: its request's time plus `delay` plus a uniform share of `spread`."""
    if delay < timedelta(0) or spread < timedelta(0):
        raise ValueError("delay and spread must not be negative")
    draw = random.Random(seed).random
    return tuple(moment + delay + spread * draw() for moment in sent)
