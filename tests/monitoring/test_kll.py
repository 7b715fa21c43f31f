"""The KLL sketch keeps Deequ 2.0.2's exact structure, weights and error bound."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fraudspec.monitoring.engine.kll import KLLSketch, build_sketch, capacity, rank_error_bound


class DeequQuantileNonSample:
    """A line-by-line port of Deequ's QuantileNonSample.update / condense and NonSampleCompactor.compact."""

    def __init__(self, k: int = 2048, c: float = 0.64) -> None:
        self.k, self.c = k, c
        self.buffers: list[list[float]] = [[]]
        self.num_compress = [0]
        self.offset = [0]
        self.actual = 0

    def capacity(self, height: int) -> int:
        return 2 * (math.ceil(self.k * math.pow(self.c, height) / 2) + 1)

    def total(self) -> int:
        return sum(self.capacity(h) for h in range(len(self.buffers)))

    def update(self, item: float) -> None:
        self.buffers[0].append(item)
        self.actual += 1
        if self.actual > self.total():
            self.condense()

    def condense(self) -> None:
        for height in range(len(self.buffers)):
            if len(self.buffers[height]) >= self.capacity(height):
                if height + 1 >= len(self.buffers):
                    self.buffers.append([])
                    self.num_compress.append(0)
                    self.offset.append(0)
                self.buffers[height + 1].extend(self.compact(height))
                self.actual = sum(len(b) for b in self.buffers)
                break

    def compact(self, height: int) -> list[float]:
        buffer = self.buffers[height]
        items = len(buffer)
        length = items - items % 2
        if self.num_compress[height] % 2 == 1:
            self.offset[height] = 1 - self.offset[height]
        ordered = sorted(buffer[:length])
        output = ordered[self.offset[height]:length:2]
        self.buffers[height] = [buffer[items - 1]] if items % 2 else []
        self.num_compress[height] += 1
        return output


def test_level_capacities_follow_deequ() -> None:
    assert [capacity(h) for h in range(4)] == [2050, 1314, 842, 540]


def test_below_capacity_the_sketch_is_the_raw_values_in_arrival_order() -> None:
    values = np.random.default_rng(1).normal(size=2050)
    sketch = build_sketch(values)
    assert len(sketch.levels) == 1
    np.testing.assert_array_equal(sketch.levels[0], values)


def test_one_value_past_capacity_compacts_level_zero_with_offset_zero() -> None:
    values = np.arange(2051, 0, -1, dtype=float)  # descending, so sorting matters
    sketch = build_sketch(values)
    assert [len(level) for level in sketch.levels] == [1, 1025]
    assert sketch.levels[0].tolist() == [1.0]  # the odd last item stays
    assert sketch.levels[1].tolist() == list(np.sort(values[:2050])[0::2])


@pytest.mark.parametrize("n", [2051, 4000, 9000, 30000])
@pytest.mark.parametrize("order", ["random", "ascending", "descending", "ties"])
def test_structure_matches_a_literal_port_of_deequ(n: int, order: str) -> None:
    rng = np.random.default_rng(n)
    values = {"random": rng.normal(size=n), "ascending": np.arange(n, dtype=float),
              "descending": np.arange(n, 0, -1, dtype=float), "ties": rng.integers(0, 7, n).astype(float)}[order]
    reference = DeequQuantileNonSample()
    for value in values.tolist():
        reference.update(value)
    sketch = build_sketch(values)
    assert [level.tolist() for level in sketch.levels] == reference.buffers


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=1, max_value=60_000))
def test_total_weight_is_the_number_of_values(n: int) -> None:
    assert build_sketch(np.zeros(n)).count == n


def test_ranks_are_weighted_and_inclusive_or_exclusive() -> None:
    sketch = KLLSketch.from_data([[5.0, 1.0], [3.0]])  # 1 and 5 weigh 1, 3 weighs 2
    points = np.array([0.0, 1.0, 3.0, 4.0, 5.0])
    assert sketch.rank(points).tolist() == [0, 1, 3, 3, 4]
    assert sketch.rank(points, inclusive=False).tolist() == [0, 0, 1, 3, 3]
    assert sketch.count == 4


def test_rank_error_stays_within_the_bound_above_capacity() -> None:
    n = 200_000
    values = np.random.default_rng(5).lognormal(3.5, 1.0, n)
    sketch = build_sketch(values)
    exact = np.sort(values)
    error = np.abs(sketch.rank(exact) - np.searchsorted(exact, exact, side="right")).max() / n
    assert 0 < error <= rank_error_bound(n)
    assert rank_error_bound(2050) == 0.0
    assert rank_error_bound(n) < 0.01


def test_data_round_trips_through_the_json_shape() -> None:
    sketch = build_sketch(np.random.default_rng(2).normal(size=7000))
    again = KLLSketch.from_data(sketch.to_data(), sketch.k, sketch.c)
    assert [level.tolist() for level in again.levels] == sketch.to_data()
    assert again.count == 7000
