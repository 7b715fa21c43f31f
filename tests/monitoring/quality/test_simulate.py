"""Label noise for test traffic: deterministic by seed, and of the requested size."""

from __future__ import annotations

import pytest

from fraudspec.client.labels import noisy_labels


def test_noise_flips_about_the_requested_share_the_same_way_every_time() -> None:
    labels = [0] * 9000 + [1] * 1000
    noisy = noisy_labels(labels, 0.1, seed=4)
    flipped = sum(a != b for a, b in zip(labels, noisy))
    assert 900 <= flipped <= 1100
    assert noisy == noisy_labels(labels, 0.1, seed=4) and noisy != noisy_labels(labels, 0.1, seed=5)
    assert noisy_labels(labels, 0.0, seed=4) == tuple(labels)
    assert noisy_labels([0, 1, 1], 1.0, seed=4) == (1, 0, 0)
    with pytest.raises(ValueError, match="flip_rate"):
        noisy_labels(labels, 1.5, seed=4)

