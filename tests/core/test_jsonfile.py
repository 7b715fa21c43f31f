"""jsonfile.dumps writes exactly what json.dumps(indent=2, ensure_ascii=False) writes of the finite document."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fraudspec.core import jsonfile
from fraudspec.core.errors import FraudspecError
from fraudspec.monitoring.engine import statistics
from fraudspec.monitoring.engine.table import numeric_table


def _reference(document, sort_keys: bool = False) -> bytes:
    finite = jsonfile._finite(document)
    return (json.dumps(finite, indent=2, ensure_ascii=False, allow_nan=False, sort_keys=sort_keys) + "\n").encode()


LEAVES = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
                   st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=8))
DOCUMENTS = st.recursive(LEAVES, lambda inner: st.one_of(
    st.lists(inner, max_size=5), st.lists(st.floats(), max_size=5),
    st.dictionaries(st.text(max_size=6), inner, max_size=5)), max_leaves=40)


@settings(max_examples=300, deadline=None)
@given(DOCUMENTS, st.booleans())
def test_any_document_is_written_as_json_writes_it(document, sort_keys: bool) -> None:
    assert jsonfile.dumps(document, sort_keys=sort_keys) == _reference(document, sort_keys)


def test_a_statistics_file_with_sketches_is_written_as_json_writes_it() -> None:
    values = np.random.default_rng(3).lognormal(3, 1, 50_000)
    table = numeric_table({"amount": values, "count": np.floor(values)})
    document = statistics.to_json(statistics.profile(table, {"amount": "Fractional", "count": "Integral"}))
    assert jsonfile.dumps(document) == _reference(document)


def test_tuples_non_string_keys_and_non_finite_floats_follow_json() -> None:
    document = {"t": (1, 2.5, math.inf), 3: {"nan": math.nan}, "e": [], "o": {}, "f": np.float64(0.1)}
    assert jsonfile.dumps(document) == _reference(document)
    assert json.loads(jsonfile.dumps(document))["t"] == [1, 2.5, None]


def test_what_json_cannot_write_is_refused_as_json_refuses_it() -> None:
    with pytest.raises(TypeError):
        jsonfile.dumps({"x": object()})


def test_a_state_file_nested_beyond_the_recursion_limit_is_a_user_error(tmp_path) -> None:
    path = tmp_path / "alarm-state.json"
    path.write_bytes(b"[" * 200_000 + b"]" * 200_000)
    with pytest.raises(FraudspecError, match="nested too deeply") as raised:
        jsonfile.load(path, "alarm states", "delete it")
    assert raised.value.hint == "delete it"
