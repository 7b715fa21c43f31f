"""statistics.json: per-feature statistics, computed from a Table and read or written as Model Monitor does.

Numeric features get counts, mean, sum, population std, min, max, Deequ's KLL sketch and 10
equal-width buckets whose counts come from the sketch (as Deequ's KLLSketch analyzer computes them).
String features get a distinct count and, up to Deequ's profiler cardinality limit of 120 distinct
values, the count of every value.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from fraudspec.core import jsonfile
from fraudspec.core.jsonfile import DocumentError
from fraudspec.monitoring.engine.kll import KLLSketch, build_sketch
from fraudspec.monitoring.engine.table import Column, Table

InferredType = Literal["Integral", "Fractional", "String", "Unknown"]
INFERRED_TYPES: tuple[str, ...] = ("Integral", "Fractional", "String", "Unknown")
NUMERIC_TYPES = ("Integral", "Fractional")
BUCKETS = 10
CATEGORY_LIMIT = 120  # Deequ ColumnProfiler's low-cardinality histogram threshold


@dataclass(frozen=True)
class Bucket:
    lower_bound: float
    upper_bound: float
    count: float


@dataclass(frozen=True)
class NumericStatistics:
    mean: float
    sum: float
    std_dev: float
    min: float
    max: float
    buckets: tuple[Bucket, ...]
    sketch: KLLSketch


@dataclass(frozen=True)
class StringStatistics:
    distinct_count: int
    categories: tuple[tuple[str, int], ...] | None  # (value, count), most frequent first; None above the limit


@dataclass(frozen=True)
class FeatureStatistics:
    name: str
    inferred_type: InferredType
    num_present: int
    num_missing: int
    numeric: NumericStatistics | None = None  # numeric types with at least one number
    string: StringStatistics | None = None  # String type

    @property
    def completeness(self) -> float:
        total = self.num_present + self.num_missing
        return self.num_present / total if total else 0.0


@dataclass(frozen=True)
class DatasetStatistics:
    item_count: int
    features: tuple[FeatureStatistics, ...]

    def feature(self, name: str) -> FeatureStatistics | None:
        return next((f for f in self.features if f.name == name), None)


def infer_type(column: Column) -> InferredType:
    """Deequ's DataTypeInstances.determineType over the typed value counts."""
    if column.present == 0:
        return "Unknown"
    if column.string:
        return "String"
    return "Fractional" if column.fractional else "Integral"


def profile(table: Table, types: Mapping[str, InferredType]) -> DatasetStatistics:
    """Statistics of every column, each profiled as the given type (inferred or the baseline's)."""
    features = tuple(profile_column(name, column, types[name]) for name, column in table.columns.items())
    return DatasetStatistics(table.rows, features)


def profile_column(name: str, column: Column, inferred_type: InferredType) -> FeatureStatistics:
    numeric = string = None
    if inferred_type in NUMERIC_TYPES and len(column.numbers):
        numeric = numeric_statistics(column.numbers)
    elif inferred_type == "String":
        string = string_statistics_of(column.text_counts() or Counter())
    return FeatureStatistics(name, inferred_type, column.present, column.missing, numeric, string)


def numeric_statistics(values: np.ndarray) -> NumericStatistics:
    total = float(np.sum(values))
    low, high = float(values.min()), float(values.max())
    sketch = build_sketch(values)
    return NumericStatistics(total / len(values), total, float(np.std(values)), low, high,
                             kll_buckets(sketch, low, high), sketch)


def kll_buckets(sketch: KLLSketch, low: float, high: float) -> tuple[Bucket, ...]:
    """Deequ's buckets: bounds in its order of operations, counts as sketch ranks (last one closed)."""
    lower = [low + (high - low) * i / float(BUCKETS) for i in range(BUCKETS)]
    upper = [low + (high - low) * (i + 1) / float(BUCKETS) for i in range(BUCKETS)]
    below_lower = sketch.rank(np.array(lower), inclusive=False)
    below_upper = sketch.rank(np.array(upper), inclusive=False)
    below_upper[-1] = sketch.rank(np.array([high]))[0]
    return tuple(Bucket(lo, up, float(b - a)) for lo, up, a, b in zip(lower, upper, below_lower, below_upper))


def string_statistics(texts: Sequence[str]) -> StringStatistics:
    return string_statistics_of(Counter(texts))


def string_statistics_of(counts: Counter[str]) -> StringStatistics:
    """A distinct count and, up to the cardinality limit, each value's count."""
    categories = None
    if len(counts) <= CATEGORY_LIMIT:
        categories = tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
    return StringStatistics(len(counts), categories)


# --- statistics.json ---------------------------------------------------------------------------


def to_json(statistics: DatasetStatistics) -> dict[str, Any]:
    return {
        "version": 0.0,
        "dataset": {"item_count": statistics.item_count},
        "features": [_feature_json(f) for f in statistics.features],
    }


def _feature_json(feature: FeatureStatistics) -> dict[str, Any]:
    common = {"common": {"num_present": feature.num_present, "num_missing": feature.num_missing}}
    document: dict[str, Any] = {"name": feature.name, "inferred_type": feature.inferred_type}
    if feature.string is not None:
        block: dict[str, Any] = {**common, "distinct_count": float(feature.string.distinct_count)}
        if feature.string.categories is not None:
            buckets = [{"value": value, "count": count} for value, count in feature.string.categories]
            block["distribution"] = {"categorical": {"buckets": buckets}}
        document["string_statistics"] = block
        return document
    block = dict(common)
    numeric = feature.numeric
    if numeric is not None:
        block.update(mean=numeric.mean, sum=numeric.sum, std_dev=numeric.std_dev, min=numeric.min, max=numeric.max)
        buckets = [{"lower_bound": b.lower_bound, "upper_bound": b.upper_bound, "count": b.count}
                   for b in numeric.buckets]
        sketch = {"parameters": {"c": numeric.sketch.c, "k": float(numeric.sketch.k)}, "data": numeric.sketch.to_data()}
        block["distribution"] = {"kll": {"buckets": buckets, "sketch": sketch}}
    document["numerical_statistics"] = block
    return document


def from_json(document: Any) -> DatasetStatistics:
    """Reads statistics.json (fraudspec's or Model Monitor's); raises DocumentError on a bad shape."""
    dataset = jsonfile.get(document, "dataset", dict, "statistics")
    item_count = jsonfile.get(dataset, "item_count", (int, float), "statistics.dataset")
    features = jsonfile.get(document, "features", list, "statistics")
    return DatasetStatistics(int(item_count), tuple(_feature_from_json(f, i) for i, f in enumerate(features)))


def _feature_from_json(document: Any, index: int) -> FeatureStatistics:
    where = f"statistics.features[{index}]"
    name = jsonfile.get(document, "name", str, where)
    inferred = jsonfile.get(document, "inferred_type", str, where)
    if inferred not in INFERRED_TYPES:
        raise DocumentError(f"{where}.inferred_type must be one of {', '.join(INFERRED_TYPES)}, not {inferred!r}")
    key = "string_statistics" if "string_statistics" in document else "numerical_statistics"
    block = jsonfile.get(document, key, dict, where)
    common = jsonfile.get(block, "common", dict, f"{where}.{key}")
    present = int(jsonfile.get(common, "num_present", (int, float), f"{where}.{key}.common"))
    missing = int(jsonfile.get(common, "num_missing", (int, float), f"{where}.{key}.common"))
    if key == "string_statistics":
        return FeatureStatistics(name, inferred, present, missing, string=_string_from_json(block, f"{where}.{key}"))
    numeric = _numeric_from_json(block, f"{where}.{key}") if "distribution" in block else None
    return FeatureStatistics(name, inferred, present, missing, numeric=numeric)


def _string_from_json(block: Mapping[str, Any], where: str) -> StringStatistics:
    distinct = int(jsonfile.get(block, "distinct_count", (int, float), where, 0))
    categorical = jsonfile.get(jsonfile.get(block, "distribution", dict, where, {}), "categorical", dict, where, None)
    if categorical is None:
        return StringStatistics(distinct, None)
    buckets = jsonfile.get(categorical, "buckets", list, f"{where}.distribution.categorical")
    categories = tuple(
        (
            str(jsonfile.get(b, "value", (str, int, float, bool), f"{where}.buckets[{i}]")),
            int(jsonfile.get(b, "count", (int, float), f"{where}.buckets[{i}]")),
        )
        for i, b in enumerate(buckets)
    )
    return StringStatistics(distinct, categories)


def _numeric_from_json(block: Mapping[str, Any], where: str) -> NumericStatistics:
    numbers = {
        key: float(jsonfile.get(block, key, (int, float), where)) for key in ("mean", "sum", "std_dev", "min", "max")
    }
    kll = jsonfile.get(jsonfile.get(block, "distribution", dict, where), "kll", dict, f"{where}.distribution")
    bounds = ("lower_bound", "upper_bound", "count")
    buckets = tuple(
        Bucket(*(float(jsonfile.get(b, key, (int, float), f"{where}.kll.buckets[{i}]")) for key in bounds))
        for i, b in enumerate(jsonfile.get(kll, "buckets", list, f"{where}.kll"))
    )
    sketch = jsonfile.get(kll, "sketch", dict, f"{where}.kll")
    parameters = jsonfile.get(sketch, "parameters", dict, f"{where}.kll.sketch")
    data = jsonfile.get(sketch, "data", list, f"{where}.kll.sketch")
    if not all(isinstance(level, list) and all(_is_number(v) for v in level) for level in data):
        raise DocumentError(f"{where}.kll.sketch.data must be lists of numbers")
    k = int(jsonfile.get(parameters, "k", (int, float), f"{where}.kll.sketch.parameters"))
    c = float(jsonfile.get(parameters, "c", (int, float), f"{where}.kll.sketch.parameters"))
    return NumericStatistics(**numbers, buckets=buckets, sketch=KLLSketch.from_data(data, k, c))


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
