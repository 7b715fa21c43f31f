"""statistics.json: hand-computed numbers, Deequ's buckets, and Model Monitor's file shape."""

from __future__ import annotations

import json

import numpy as np
import pytest

from fraudspec.core import jsonfile
from fraudspec.core.jsonfile import DocumentError
from fraudspec.monitoring.engine import statistics
from fraudspec.monitoring.engine.kll import build_sketch
from fraudspec.monitoring.engine.statistics import infer_type, kll_buckets, numeric_statistics, string_statistics
from fraudspec.monitoring.engine.table import TableBuilder
from tests.monitoring.conftest import baseline_of


def test_numbers_are_hand_computable_and_std_is_the_population_std() -> None:
    stats = numeric_statistics(np.array([1.0, 2.0, 2.0, 3.0]))
    assert (stats.mean, stats.sum, stats.min, stats.max) == (2.0, 8.0, 1.0, 3.0)
    assert stats.std_dev == pytest.approx(np.sqrt(0.5))  # sample std would be sqrt(2/3)


def test_bucket_bounds_for_min_1_max_3_follow_deequs_order_of_operations() -> None:
    buckets = kll_buckets(build_sketch(np.array([1.0, 3.0])), 1.0, 3.0)
    assert [b.lower_bound for b in buckets] == [1.0, 1.2, 1.4, 1.6, 1.8, 2.0, 2.2, 2.4, 2.6, 2.8]
    assert buckets[-1].upper_bound == 3.0


def test_bucket_counts_are_half_open_except_the_last() -> None:
    values = np.array([1.0, 1.1, 1.2, 2.0, 2.9, 3.0, 3.0])
    buckets = kll_buckets(build_sketch(values), 1.0, 3.0)
    assert [b.count for b in buckets] == [2.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 3.0]
    assert all(isinstance(b.count, float) for b in buckets)


def test_a_constant_feature_puts_every_value_in_the_last_bucket() -> None:
    buckets = kll_buckets(build_sketch(np.full(5, 4.0)), 4.0, 4.0)
    assert [b.count for b in buckets] == [0.0] * 9 + [5.0]


def test_bucket_counts_above_capacity_are_weighted_and_sum_to_n() -> None:
    values = np.random.default_rng(0).uniform(0, 10, 50_000)
    stats = numeric_statistics(values)
    counts = [b.count for b in stats.buckets]
    assert sum(counts) == 50_000
    assert max(abs(c - 5000) for c in counts) < 400


def test_string_statistics_count_values_most_frequent_first() -> None:
    stats = string_statistics(["MY", "SG", "SG", "ID", "MY", "SG"])
    assert stats.distinct_count == 3
    assert stats.categories == (("SG", 3), ("MY", 2), ("ID", 1))
    many = string_statistics([str(i) for i in range(121)])
    assert many.distinct_count == 121 and many.categories is None


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([["1"], ["2"]], "Integral"),
        ([["1"], ["2.5"]], "Fractional"),
        ([["1"], ["x"]], "String"),
        ([[""], [None]], "Unknown"),
    ],
)
def test_inferred_type_follows_deequ(rows, expected) -> None:
    builder = TableBuilder(["f"])
    for row in rows:
        builder.add_positional(row)
    assert infer_type(builder.build().columns["f"]) == expected


def test_statistics_json_has_model_monitors_shape() -> None:
    stats, _ = baseline_of(["amount", "country"], [["1", "SG"], ["3", "SG"], ["", "MY"]], ["country"])
    document = statistics.to_json(stats)
    assert document["version"] == 0.0 and document["dataset"] == {"item_count": 3}
    amount, country = document["features"]
    numbers = amount["numerical_statistics"]
    assert amount["inferred_type"] == "Integral"
    assert numbers["common"] == {"num_present": 2, "num_missing": 1}
    assert (numbers["mean"], numbers["sum"], numbers["std_dev"], numbers["min"], numbers["max"]) == (
        2.0,
        4.0,
        1.0,
        1.0,
        3.0,
    )
    assert numbers["distribution"]["kll"]["sketch"] == {"parameters": {"c": 0.64, "k": 2048.0}, "data": [[1.0, 3.0]]}
    assert len(numbers["distribution"]["kll"]["buckets"]) == 10
    assert country == {
        "name": "country",
        "inferred_type": "String",
        "string_statistics": {
            "common": {"num_present": 3, "num_missing": 0},
            "distinct_count": 2.0,
            "distribution": {"categorical": {"buckets": [{"value": "SG", "count": 2}, {"value": "MY", "count": 1}]}},
        },
    }


def test_statistics_round_trip_through_json_bytes() -> None:
    values = [[str(v)] for v in np.random.default_rng(1).integers(0, 100, 5000)]
    stats, _ = baseline_of(["n"], values)
    text = jsonfile.dumps(statistics.to_json(stats))
    again = statistics.from_json(json.loads(text))
    assert jsonfile.dumps(statistics.to_json(again)) == text


def test_reads_the_reference_documents_example() -> None:
    document = {
        "version": 0.0,
        "dataset": {"item_count": 100},
        "features": [
            {
                "name": "amount",
                "inferred_type": "Fractional",
                "numerical_statistics": {
                    "common": {"num_present": 100, "num_missing": 0},
                    "mean": 2.31,
                    "sum": 231.0,
                    "std_dev": 0.833,
                    "min": 1.0,
                    "max": 3.0,
                    "distribution": {
                        "kll": {
                            "buckets": [{"lower_bound": 1.0, "upper_bound": 1.2, "count": 24.0}],
                            "sketch": {"parameters": {"c": 0.64, "k": 2048.0}, "data": [[3.0, 1.0, 2.0]]},
                        }
                    },
                },
            },
            {
                "name": "merchant_country",
                "inferred_type": "String",
                "string_statistics": {
                    "common": {"num_present": 418, "num_missing": 0},
                    "distinct_count": 1.0,
                    "distribution": {"categorical": {"buckets": [{"value": "SG", "count": 418}]}},
                },
            },
        ],
    }
    stats = statistics.from_json(document)
    amount, country = stats.features
    assert amount.numeric.sketch.count == 3 and amount.numeric.sketch.k == 2048 and amount.numeric.mean == 2.31
    assert country.string.categories == (("SG", 418),) and country.completeness == 1.0


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"features": []}, "statistics.dataset is missing"),
        (
            {"dataset": {"item_count": 1}, "features": [{"name": "a", "inferred_type": "Decimal"}]},
            "inferred_type must be one of",
        ),
        (
            {
                "dataset": {"item_count": 1},
                "features": [
                    {"name": "a", "inferred_type": "Integral", "numerical_statistics": {"common": {"num_present": "1"}}}
                ],
            },
            "num_present must be int or float",
        ),
        (
            {
                "dataset": {"item_count": 1},
                "features": [
                    {
                        "name": "a",
                        "inferred_type": "Integral",
                        "numerical_statistics": {
                            "common": {"num_present": 1, "num_missing": 0},
                            "mean": 1,
                            "sum": 1,
                            "std_dev": 0,
                            "min": 1,
                            "max": 1,
                            "distribution": {
                                "kll": {
                                    "buckets": [],
                                    "sketch": {"parameters": {"c": 0.64, "k": 2048}, "data": [["x"]]},
                                }
                            },
                        },
                    }
                ],
            },
            "sketch.data must be lists of numbers",
        ),
    ],
)
def test_bad_documents_name_the_broken_field(document, message) -> None:
    with pytest.raises(DocumentError, match=message):
        statistics.from_json(document)
