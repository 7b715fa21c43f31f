"""A data-quality execution as a mergeable computation: one partial state per partition of the capture
objects, merged, then finished into the statistics and the table the checks read.

A partition's state holds what every statistic needs and nothing that grows with the data but the
sketch (bounded) and the distinct values of text features: the read counts and the first malformed
lines, per column the type counts, count, sum, sum of squared deviations from its mean, min, max,
Deequ's KLL compactors and the count of every text value. Merging N partitions, in the order of
their capture objects, gives exactly what one pass gives for every count, min, max and text count;
the sum and the standard deviation agree to floating-point rounding (they are added in another
order, as they are in Deequ's Spark aggregation); the sketch is Deequ's merge of the partitions'
sketches (`kll.merged`), within the sketch's rank error bound of the one-pass sketch.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from fraudspec.monitoring.engine.capture import CaptureCounts, CaptureData
from fraudspec.monitoring.engine.kll import Compactors, merged, sketch_state
from fraudspec.monitoring.engine.statistics import (
    NUMERIC_TYPES,
    DatasetStatistics,
    FeatureStatistics,
    InferredType,
    NumericStatistics,
    kll_buckets,
    string_statistics_of,
)
from fraudspec.monitoring.engine.table import Column, Table
from fraudspec.monitoring.records.lines import MALFORMED_EXAMPLES


@dataclass(frozen=True, eq=False)
class NumericPartial:
    count: int
    total: float
    squares: float  # sum of squared deviations from this partition's mean
    low: float
    high: float
    sketch: Compactors


@dataclass(frozen=True, eq=False)
class ColumnPartial:
    missing: int
    integral: int
    fractional: int
    string: int
    numeric: NumericPartial | None  # None without a single number
    texts: Counter[str] | None  # every value's count, for the features kept as text


@dataclass(frozen=True, eq=False)
class PartitionState:
    counts: CaptureCounts
    malformed_examples: tuple[str, ...]
    rows: int
    max_fields: int  # widest positional row
    named: frozenset[str]  # keys of object rows
    columns: Mapping[str, ColumnPartial] = field(default_factory=dict)  # every expected feature, in order


def partition_state(capture: CaptureData) -> PartitionState:
    """The partial state of one partition's capture, as `read_capture` read it."""
    table = capture.table
    columns = {name: _column(column) for name, column in table.columns.items()}
    return PartitionState(capture.counts, capture.malformed_examples, table.rows, table.max_fields, table.named,
                          columns)


def _column(column: Column) -> ColumnPartial:
    numbers = column.numbers
    numeric = None
    if len(numbers):
        total = float(np.sum(numbers))
        squares = float(np.sum(np.square(numbers - total / len(numbers))))
        numeric = NumericPartial(len(numbers), total, squares, float(numbers.min()), float(numbers.max()),
                                 sketch_state(numbers))
    texts = Counter(column.texts) if column.texts is not None else None
    return ColumnPartial(column.missing, column.integral, column.fractional, column.string, numeric, texts)


def merge_states(states: Sequence[PartitionState]) -> PartitionState:
    """The partitions' states, in the order of their capture objects, merged into one."""
    if not states:
        raise ValueError("nothing to merge")
    counts = CaptureCounts(*(sum(getattr(s.counts, name) for s in states)
                             for name in ("lines", "records", "rows", "malformed")))
    examples = tuple(e for s in states for e in s.malformed_examples)[:MALFORMED_EXAMPLES]
    columns = {name: _merge_columns([s.columns[name] for s in states]) for name in states[0].columns}
    return PartitionState(counts, examples, sum(s.rows for s in states), max(s.max_fields for s in states),
                          frozenset().union(*(s.named for s in states)), columns)


def _merge_columns(parts: Sequence[ColumnPartial]) -> ColumnPartial:
    numerics = [p.numeric for p in parts if p.numeric is not None]
    texts = None
    if parts[0].texts is not None:
        texts = Counter[str]()
        for part in parts:
            texts.update(part.texts or {})
    return ColumnPartial(sum(p.missing for p in parts), sum(p.integral for p in parts),
                         sum(p.fractional for p in parts), sum(p.string for p in parts),
                         _merge_numeric(numerics) if numerics else None, texts)


def _merge_numeric(parts: Sequence[NumericPartial]) -> NumericPartial:
    """Chan et al.'s pairwise update of the squared deviations, folded left to right."""
    count, total, squares = parts[0].count, parts[0].total, parts[0].squares
    for part in parts[1:]:
        delta = part.total / part.count - total / count
        squares += part.squares + delta * delta * count * part.count / (count + part.count)
        count, total = count + part.count, total + part.total
    return NumericPartial(count, total, squares, min(p.low for p in parts), max(p.high for p in parts),
                          merged([p.sketch for p in parts]))


def finished_table(state: PartitionState, features: Iterable[str]) -> Table:
    """The table the checks read: counts and text counts per column (numbers stay in the statistics)."""
    columns = {}
    for name, part in state.columns.items():
        columns[name] = Column(np.empty(0), None, part.missing, part.integral, part.fractional, part.string,
                               counts=part.texts)
    return Table.of(state.rows, columns, tuple(features), state.max_fields, state.named)


def finished_statistics(state: PartitionState, types: Mapping[str, InferredType]) -> DatasetStatistics:
    """statistics.json of the merged state, each feature profiled as the given type (as `profile` does)."""
    features = []
    for name, part in state.columns.items():
        kind = types[name]
        present = part.integral + part.fractional + part.string
        numeric = string = None
        if kind in NUMERIC_TYPES and part.numeric is not None:
            numeric = _numeric_statistics(part.numeric)
        elif kind == "String":
            string = string_statistics_of(part.texts or Counter())
        features.append(FeatureStatistics(name, kind, present, part.missing, numeric, string))
    return DatasetStatistics(state.rows, tuple(features))


def _numeric_statistics(part: NumericPartial) -> NumericStatistics:
    sketch = part.sketch.sketch()
    return NumericStatistics(part.total / part.count, part.total, math.sqrt(part.squares / part.count),
                             part.low, part.high, kll_buckets(sketch, part.low, part.high), sketch)
