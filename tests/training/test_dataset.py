from __future__ import annotations

import math

import numpy as np
import pytest

from fraudspec.core.errors import FraudspecError
from fraudspec.spec.model import Feature
from fraudspec.training.dataset import Dataset, format_number, parse_csv, read_csv, to_csv, write_csv
from fraudspec.training.synthetic import generate

FEATURES = (Feature("amount"), Feature("txn_count_1h"), Feature("country", "categorical"))


def _parse(text: str) -> Dataset:
    return parse_csv(text, "data.csv", FEATURES, "is_fraud")


def test_csv_round_trip_is_exact_and_deterministic(tmp_path):
    data = generate([*FEATURES, Feature("risk_score")], 500, seed=1)
    X = data.X.copy()
    X[::7, 0] = np.nan
    X[3, 3] = 0.1 + 0.2  # a float whose shortest repr has 17 digits
    holey = Dataset(data.features, data.target, X, data.y, data.categories)
    path = tmp_path / "train.csv"
    write_csv(holey, path)
    back = read_csv(path, holey.features, "is_fraud")
    np.testing.assert_array_equal(back.X, holey.X)  # NaN compares equal here
    np.testing.assert_array_equal(back.y, holey.y)
    assert back.categories == holey.categories
    assert path.read_text() == to_csv(holey)
    lines = path.read_text().splitlines()
    assert lines[0] == "amount,txn_count_1h,country,risk_score,is_fraud"
    assert lines[1].startswith(",")  # a missing value is an empty field
    assert "0.30000000000000004" in path.read_text()


@pytest.mark.parametrize(("value", "text"), [(3.0, "3"), (-2.0, "-2"), (12.5, "12.5"), (1e20, "1e+20"), (math.nan, "")])
def test_numbers_print_as_integers_when_integral(value, text):
    assert format_number(value) == text


def test_columns_are_found_by_name_and_extra_columns_ignored():
    data = _parse("id,country,is_fraud,txn_count_1h,amount\n9,SG,0,2,10.5\n10,,1,7,\n")
    np.testing.assert_array_equal(data.column("amount"), [10.5, np.nan])
    assert list(data.column("country")) == ["SG", None]
    assert list(data.y) == [0, 1]


def _error(text: str) -> FraudspecError:
    with pytest.raises(FraudspecError) as caught:
        _parse(text)
    return caught.value


def test_empty_file_is_an_error():
    error = _error("")
    assert "data.csv is empty" in str(error)
    assert "amount" in error.hint


def test_missing_columns_are_named():
    error = _error("amount,is_fraud\n1,0\n")
    assert "missing column(s) txn_count_1h, country" in str(error)
    assert error.location.file == "data.csv" and error.location.line == 1


def test_every_bad_value_is_located_by_file_row_and_column():
    error = _error("amount,txn_count_1h,country,is_fraud\n1,2,SG,0\n1,abc,SG,0\n1,2,SG,2\ninf,2,SG,0\n")
    found = [(f.location.line, f.location.col, f.message) for f in error.findings]
    assert found == [
        (3, 3, "column 'txn_count_1h': 'abc' is not a finite number"),
        (4, 8, "column 'is_fraud': the target must be 0 or 1, got '2'"),
        (5, 1, "column 'amount': 'inf' is not a finite number"),
    ]
    assert all(f.location.file == "data.csv" for f in error.findings)


def test_wrong_field_count_and_header_only_files_are_errors():
    short_row = _error("amount,txn_count_1h,country,is_fraud\n1,2,SG\n")
    assert "row has 3 fields, the header has 4" in str(short_row.findings[0])
    assert "has a header but no rows" in str(_error("amount,txn_count_1h,country,is_fraud\n"))


def test_missing_file_names_the_spec_field(tmp_path):
    with pytest.raises(FraudspecError) as caught:
        read_csv(tmp_path / "nope.csv", FEATURES, "is_fraud")
    assert "does not exist" in str(caught.value) and "model.data.csv" in caught.value.hint


def test_split_is_stratified_disjoint_and_reproducible():
    data = generate(FEATURES, 5000, seed=3, fraud_rate=0.02)
    train, validation = data.split(0.2, seed=42)
    assert len(train) == 4000 and len(validation) == 1000
    assert validation.y.sum() == 20 and train.y.sum() == 80
    again_train, _ = data.split(0.2, seed=42)
    np.testing.assert_array_equal(train.X, again_train.X)
    other_train, _ = data.split(0.2, seed=43)
    assert not np.array_equal(train.X, other_train.X)
    rows = {tuple(r) for r in np.nan_to_num(train.X)} | {tuple(r) for r in np.nan_to_num(validation.X)}
    assert len(rows) == len({tuple(r) for r in np.nan_to_num(data.X)})


def test_matrix_recodes_categories_against_a_model_vocabulary():
    data = _parse("amount,txn_count_1h,country,is_fraud\n1,2,SG,0\n1,2,ZZ,0\n1,2,,1\n1,2,MY,0\n")
    assert data.categories["country"] == ("MY", "SG", "ZZ")
    codes = data.matrix({"country": ["SG", "MY"]})[:, 2]
    np.testing.assert_array_equal(codes, [0, np.nan, np.nan, 1])
