"""The baseline from the build's training CSV: columns by header name, typed by the spec, files loaded back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fraudspec.core.errors import FraudspecError
from fraudspec.monitoring.engine.baseline import compute_baseline, load_baseline, read_training_csv
from fraudspec.spec.model import MonitoringSpec, Schedule

MONITORING = MonitoringSpec(Schedule("hourly", "cron(0 * ? * * *)", "cron(0 * ? * * *)"))


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "train.csv"
    path.write_text(text)
    return path


def test_columns_are_found_by_name_and_the_target_is_ignored(tmp_path: Path) -> None:
    path = write(tmp_path, "is_fraud,amount,channel\r\n0,1.5,app\r\n1,,web\r\n0,3,app\r\n")
    table = read_training_csv(path, ["channel", "amount"], ["channel"])
    assert list(table.columns) == ["channel", "amount"] and table.rows == 3
    assert table.columns["amount"].numbers.tolist() == [1.5, 3.0] and table.columns["amount"].missing == 1
    assert table.columns["channel"].texts == ("app", "web", "app")


def test_quoted_fields_are_read_with_the_csv_rules(tmp_path: Path) -> None:
    path = write(tmp_path, 'city,amount\n"Kuala Lumpur, MY",2\n"Singapore",3\n')
    assert read_training_csv(path, ["city", "amount"], ["city"]).columns["city"].texts == (
        "Kuala Lumpur, MY",
        "Singapore",
    )


def test_a_feature_without_a_column_is_a_located_error(tmp_path: Path) -> None:
    path = write(tmp_path, "amount,is_fraud\n1,0\n")
    with pytest.raises(FraudspecError) as caught:
        read_training_csv(path, ["amount", "txn_count_1h"])
    assert "no column for feature(s) txn_count_1h" in str(caught.value)
    assert caught.value.location.file == str(path) and "amount, is_fraud" in caught.value.hint


def test_duplicate_columns_are_an_error(tmp_path: Path) -> None:
    with pytest.raises(FraudspecError, match="more than one column named amount"):
        read_training_csv(write(tmp_path, "amount,amount\n1,2\n"), ["amount"])


def test_types_follow_the_spec_and_text_in_a_numeric_feature_is_an_error(tmp_path: Path) -> None:
    table = read_training_csv(write(tmp_path, "n,code\n1,5411\n2,5812\n"), ["n", "code"], ["code"])
    statistics, _constraints = compute_baseline(table, ["code"], MONITORING)
    assert [f.inferred_type for f in statistics.features] == ["Integral", "String"]
    assert statistics.features[1].string.categories == (("5411", 1), ("5812", 1))
    bad = read_training_csv(write(tmp_path, "n\n1\nabc\n"), ["n"])
    with pytest.raises(FraudspecError, match="numeric feature n has 1 value"):
        compute_baseline(bad, [], MONITORING)


def test_loading_names_a_missing_or_broken_file(tmp_path: Path) -> None:
    statistics, constraints = tmp_path / "statistics.json", tmp_path / "constraints.json"
    with pytest.raises(FraudspecError) as caught:
        load_baseline(statistics, constraints, "dev")
    assert (
        "baseline statistics not found" in str(caught.value)
        and caught.value.hint == "run `fraudspec baseline --env dev` to write it"
    )
    statistics.write_text("{not json")
    with pytest.raises(FraudspecError, match="not valid JSON"):
        load_baseline(statistics, constraints, "dev")
    statistics.write_text(json.dumps({"dataset": {"item_count": 1}, "features": []}))
    constraints.write_text(json.dumps({"features": [{"name": 3}]}))
    with pytest.raises(FraudspecError, match=r"baseline constraints: constraints.features\[0\].name must be str"):
        load_baseline(statistics, constraints, "dev")
