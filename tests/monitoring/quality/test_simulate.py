"""Label noise and arrival delays for test traffic: deterministic by seed, and of the requested size."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fraudspec.client.labels import arrival_times, noisy_labels
from tests.monitoring.quality.conftest import HOUR


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


def test_labels_arrive_after_the_delay_within_the_spread() -> None:
    sent = [HOUR + timedelta(seconds=i) for i in range(500)]
    arrived = arrival_times(sent, timedelta(hours=2), timedelta(hours=1), seed=3)
    offsets = [later - earlier for earlier, later in zip(sent, arrived)]
    assert all(timedelta(hours=2) <= offset < timedelta(hours=3) for offset in offsets)
    assert len(set(offsets)) > 400 and arrived == arrival_times(sent, timedelta(hours=2), timedelta(hours=1), seed=3)
    assert arrival_times(sent[:2], timedelta(minutes=5)) == (sent[0] + timedelta(minutes=5), sent[1] + timedelta(minutes=5))
    with pytest.raises(ValueError, match="negative"):
        arrival_times(sent, timedelta(hours=-1))
