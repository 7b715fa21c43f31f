"""The execution as a mergeable computation: partitions' partial states merged give what one pass gives,
exactly for every count, min, max and text count; the merged sketch is Deequ's merge, within its bound."""

from __future__ import annotations

import math

import numpy as np
import pytest

from fraudspec.monitoring.engine import statistics as statistics_file
from fraudspec.monitoring.engine.execution import read_partition, run_execution, run_merged
from fraudspec.monitoring.engine.kll import Compactors, merged, rank_error_bound, sketch_state
from fraudspec.monitoring.quality.binary import binary_metrics, confusion_matrix, threshold_metrics
from fraudspec.monitoring.records.blocks import CaptureBlock
from tests.monitoring.conftest import WINDOW, baseline_of, capture_line, json_line
from tests.monitoring.test_kll import DeequQuantileNonSample

FEATURES = ("txn_count_1h", "amount", "channel")


class DeequMerging(DeequQuantileNonSample):
    """The port of test_kll, with QuantileNonSample.merge (awslabs/deequ, QuantileNonSample.scala) line by line."""

    def merge(self, that: DeequMerging) -> DeequMerging:
        while len(self.buffers) < len(that.buffers):
            self.buffers.append([])
            self.num_compress.append(0)
            self.offset.append(0)
        for i in range(len(that.buffers)):
            self.buffers[i] = self.buffers[i] + that.buffers[i]
        self.actual = sum(len(b) for b in self.buffers)
        while self.actual >= self.total():
            self.condense()
        return self


def _partitions(n: int, sizes: list[int], seed: int) -> list[np.ndarray]:
    values = np.random.default_rng(seed).lognormal(3.0, 1.2, n)
    return np.split(values, np.cumsum(sizes)[:-1]) if sizes else [values]


@pytest.mark.parametrize("sizes", [[1000, 900, 150], [2050, 2050, 2050], [5000, 3, 4000, 2100], [9000, 9000]])
def test_merging_partition_sketches_matches_deequs_merge_item_for_item(sizes: list[int]) -> None:
    parts = _partitions(sum(sizes), sizes, seed=len(sizes))
    reference = DeequMerging()  # Spark's final aggregation: a fresh buffer, merged with each partition in turn
    for part in parts:
        partial = DeequMerging()
        for value in part.tolist():
            partial.update(value)
        reference.merge(partial)
    ours = merged([sketch_state(part) for part in parts]).sketch()
    assert [level.tolist() for level in ours.levels] == reference.buffers
    assert ours.count == sum(sizes)


def test_merge_keeps_this_sketchs_compaction_counters() -> None:
    parts = _partitions(12_000, [6000, 6000], seed=3)
    first, second = sketch_state(parts[0]), sketch_state(parts[1])
    reference, other = DeequMerging(), DeequMerging()
    for value in parts[0].tolist():
        reference.update(value)
    for value in parts[1].tolist():
        other.update(value)
    reference.merge(other)
    first.merge(second)
    assert [b.tolist() for b in first.buffers] == reference.buffers
    assert first.compressions == reference.num_compress and first.offsets == reference.offset


@pytest.mark.parametrize("partitions", [2, 7, 31])
def test_the_merged_sketch_keeps_the_rank_error_bound(partitions: int) -> None:
    n = 200_000
    values = np.random.default_rng(partitions).lognormal(3.5, 1.0, n)
    sketch = merged([sketch_state(part) for part in np.array_split(values, partitions)]).sketch()
    exact = np.sort(values)
    error = np.abs(sketch.rank(exact) - np.searchsorted(exact, exact, side="right")).max() / n
    assert sketch.count == n
    assert 0 < error <= rank_error_bound(n)


def test_an_empty_partition_changes_nothing() -> None:
    values = np.arange(5000, dtype=float)
    alone = merged([sketch_state(values)]).sketch()
    with_empty = merged([Compactors(2048, 0.64), sketch_state(values), sketch_state(np.empty(0))]).sketch()
    assert [a.tolist() for a in alone.levels] == [b.tolist() for b in with_empty.levels]


def _capture(seed: int, rows: int) -> list[str]:
    rng = np.random.default_rng(seed)
    lines = []
    for i in range(rows):
        count, amount = int(rng.integers(0, 20)), round(float(rng.lognormal(3, 1)), 2)
        channel = ["web", "pos", "app", "atm"][int(rng.integers(0, 4))]
        if i % 97 == 0:
            lines.append(json_line({"txn_count_1h": count, "amount": amount, "channel": channel, "extra": 1}))
        elif i % 89 == 0:
            lines.append("not json")
        elif i % 83 == 0:
            lines.append(capture_line(f"{count},,{channel}"))
        else:
            lines.append(capture_line(f"{count},{amount},{channel}"))
    return lines


def _objects(lines: list[str], files: int) -> list[CaptureBlock]:
    return [CaptureBlock(f"{i:02d}.jsonl", ("\n".join(chunk) + "\n").encode())
            for i, chunk in enumerate(np.array_split(np.array(lines, dtype=object), files))]


def _statistics(result) -> dict:
    return statistics_file.to_json(result.statistics)


@pytest.mark.parametrize("partitions", [1, 3, 8])
def test_merged_partitions_give_what_one_pass_gives(partitions: int) -> None:
    lines = _capture(seed=11, rows=6000)
    rng = np.random.default_rng(12)
    rows = [(int(rng.integers(0, 20)), float(rng.lognormal(3.2, 1)), ["web", "pos", "app"][int(rng.integers(0, 3))])
            for _ in range(3000)]
    baseline, constraints = baseline_of(FEATURES, rows, ["channel"])
    objects = _objects(lines, 8)
    one_pass = run_execution(objects, baseline, constraints, WINDOW, FEATURES)
    groups = [list(group) for group in np.array_split(np.array(objects, dtype=object), partitions)]
    states = [read_partition(group, baseline, constraints, FEATURES) for group in groups]
    split = run_merged(states, baseline, constraints, WINDOW, FEATURES)

    assert split.counts == one_pass.counts and split.malformed_examples == one_pass.malformed_examples
    assert split.status == one_pass.status
    assert [(v.feature_name, v.constraint_check_type) for v in split.violations] == [
        (v.feature_name, v.constraint_check_type) for v in one_pass.violations]
    ours, theirs = _statistics(split), _statistics(one_pass)
    for mine, reference in zip(ours["features"], theirs["features"]):
        if "numerical_statistics" in reference:
            a, b = mine["numerical_statistics"], reference["numerical_statistics"]
            assert (a["common"], a["min"], a["max"]) == (b["common"], b["min"], b["max"])
            for key in ("sum", "mean", "std_dev"):
                assert math.isclose(a[key], b[key], rel_tol=1e-12), key
            if partitions == 1:  # one partition's sum and deviations are the one pass's, bit for bit
                assert {k: v for k, v in a.items() if k != "distribution"} == {
                    k: v for k, v in b.items() if k != "distribution"}
        else:
            assert mine == reference  # counts, distinct counts and categories: exactly
    assert ours["dataset"] == theirs["dataset"]


def test_confusion_counts_of_partitions_add_up_to_the_whole() -> None:
    rng = np.random.default_rng(4)
    labels, probabilities = rng.integers(0, 2, 5000).astype(np.int8), rng.random(5000)
    parts = np.array_split(np.arange(5000), 6)
    total = sum((confusion_matrix(labels[p], probabilities[p], 0.4) for p in parts[1:]),
                confusion_matrix(labels[parts[0]], probabilities[parts[0]], 0.4))
    whole = binary_metrics(labels, probabilities, 0.4)
    assert total == whole.confusion
    merged_values = threshold_metrics(total)
    assert all(merged_values[name] == whole.values[name] or (math.isnan(merged_values[name])
               and math.isnan(whole.values[name])) for name in merged_values)
