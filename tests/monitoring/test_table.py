"""Values are typed as Deequ types them; the bulk CSV path agrees with the per-value path."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fraudspec.monitoring.engine.table import TableBuilder, _float_values, numeric_table, type_text


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("7", "Integral"),
        ("+7", "Integral"),
        ("-7", "Integral"),
        ("- 7", "Integral"),
        ("007", "Integral"),
        ("1.5", "Fractional"),
        ("-0.25", "Fractional"),
        ("1e5", "Fractional"),
        ("1.5E-3", "Fractional"),
        ("2e+4", "Fractional"),
        ("1.", "String"),
        (".5", "String"),
        ("nan", "String"),
        ("inf", "String"),
        ("1e400", "String"),
        ("7 ", "String"),
        ("0x10", "String"),
        ("1_000", "String"),
        ("SG", "String"),
        ("true", "String"),
        ("١٢", "String"),
    ],
)
def test_text_is_typed_with_deequs_patterns(text: str, kind: str) -> None:
    assert type_text(text)[0] == kind


def columns_of(builder: TableBuilder) -> dict:
    table = builder.build()
    return {
        name: (c.numbers.tolist(), c.texts, c.missing, c.integral, c.fractional, c.string)
        for name, c in table.columns.items()
    }


TOKENS = st.sampled_from(["0", "12", "-3", "+4", "1.5", "-0.25", "3e2", "1.5E-3", "1.", ".5", "2e400", "1e+5"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(TOKENS, min_size=3, max_size=3), min_size=1, max_size=40))
def test_bulk_csv_path_equals_per_value_path(rows: list[list[str]]) -> None:
    lines = [",".join(row).encode() for row in rows]
    bulk, reference = TableBuilder(["a", "b", "c"], ["c"]), TableBuilder(["a", "b", "c"], ["c"])
    bulk.add_csv_lines(lines)
    for row in rows:
        reference.add_positional(row)
    assert columns_of(bulk) == columns_of(reference)


PLAIN = st.sampled_from(["0", "12", "-3", "+4", "1.5", "-0.25", "007.50", "", "1.", ".5", "-.5", "9" * 400,
                         "123456789012345678901234567890", "0.1"])


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(PLAIN, min_size=3, max_size=3), min_size=1, max_size=40))
def test_plain_decimals_are_typed_in_bulk_as_value_by_value(rows: list[list[str]]) -> None:
    """Rows without an exponent take the bulk path's count of dots per column, unless a dot is not
    between two digits or a value overflows."""
    lines = [",".join(row).encode() for row in rows if any(row)]
    bulk, reference = TableBuilder(["a", "b", "c"], ["c"]), TableBuilder(["a", "b", "c"], ["c"])
    bulk.add_csv_lines(lines)
    for line in lines:
        reference.add_positional(line.decode().split(","))
    assert columns_of(bulk) == columns_of(reference)


def test_missing_values_ragged_rows_and_quotes_take_the_per_value_path() -> None:
    builder = TableBuilder(["a", "b", "c"], ["c"])
    builder.add_csv_lines([b"1,,x", b"2", b'3,4.5,"y,z"', b"5,6,w,extra"])
    table = builder.build()
    a, b, c = (table.columns[n] for n in "abc")
    assert table.rows == 4 and table.absent == () and table.extra == ("_c3",)
    assert a.numbers.tolist() == [1, 2, 3, 5] and a.integral == 4
    assert b.numbers.tolist() == [4.5, 6] and b.missing == 2 and (b.integral, b.fractional) == (1, 1)
    assert c.texts == ("x", "y,z", "w") and c.missing == 1 and c.string == 3


def test_columns_no_row_carries_are_absent_and_unknown_keys_extra() -> None:
    builder = TableBuilder(["a", "b", "c"])
    builder.add_positional([1])
    builder.add_named({"a": 2, "zeta": 1, "alpha": 0})
    table = builder.build()
    assert table.absent == ("b", "c")
    assert table.extra == ("alpha", "zeta")
    assert table.columns["b"].missing == 2


def test_json_values_keep_their_json_types() -> None:
    builder = TableBuilder(["n"], ["n"])
    for value in (3, 2.0, "4", "4.5", True, None, 10**400, float("nan"), {"x": 1}):
        builder.add_named({"n": value})
    column = builder.build().columns["n"]
    assert (column.integral, column.fractional, column.string, column.missing) == (2, 2, 4, 1)
    assert column.numbers.tolist() == [3.0, 2.0, 4.0, 4.5]
    assert column.texts[:5] == ("3", "2.0", "4", "4.5", "true")


def test_numeric_table_types_whole_numbers_as_integral() -> None:
    table = numeric_table({"a": np.array([1.0, 2.0, np.nan]), "b": np.array([0.5, 2.0, np.inf])})
    a, b = table.columns["a"], table.columns["b"]
    assert table.rows == 3
    assert (a.integral, a.fractional, a.missing, a.string) == (2, 0, 1, 0)
    assert (b.integral, b.fractional, b.missing, b.string) == (1, 1, 0, 1)
    assert b.numbers.tolist() == [0.5, 2.0]
    with pytest.raises(ValueError, match="differ in length"):
        numeric_table({"a": np.zeros(2), "b": np.zeros(3)})


def test_float_values_read_offsets_and_nulls_from_the_buffers() -> None:
    array = pa.array([1.5, None, 3.0, None, 5.25, 6.0], type=pa.float64()).slice(1, 4)
    values = _float_values(array)
    assert np.isnan(values[0]) and np.isnan(values[2]) and values[[1, 3]].tolist() == [3.0, 5.25]
    values[1] = 0.0  # a copy: the array itself is read-only memory
    assert array[1].as_py() == 3.0


def test_bulk_parsing_never_imports_pandas(tmp_path: Path) -> None:
    """pyarrow converts columns with nulls through pandas when it can import it (a quarter of a second
    where pandas is installed); a stand-in pandas that leaves a mark shows nothing asks for it."""
    fake = tmp_path / "pandas"
    fake.mkdir()
    (fake / "__init__.py").write_text(f"open({str(tmp_path / 'imported')!r}, 'w').close()\nraise ImportError\n")
    code = ("from fraudspec.monitoring.engine.table import TableBuilder\n"
            "builder = TableBuilder(['a', 'b'])\nbuilder.add_csv_rows(b'1,\\n2,2.5\\n,3\\n')\n"
            "assert builder.build().columns['b'].missing == 1\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(Path.cwd())])}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
    assert not (tmp_path / "imported").exists()
