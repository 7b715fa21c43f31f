"""Fuzz: whatever the input, loading and validating raise nothing but FraudspecError."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fraudspec.core.errors import FraudspecError
from fraudspec.spec.load import load_spec, validate_source
from fraudspec.spec.model import Spec
from fraudspec.spec.yaml_source import Source, parse_source
from tests.spec.conftest import BASE

pytestmark = pytest.mark.slow  # hundreds of hypothesis examples

BASE_DATA = yaml.safe_load(BASE)
SPEC_PATH = Path("/nonexistent/specs/spec.yaml")

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False, width=32),
                    st.text(max_size=12), st.sampled_from(["serverless", "sagemaker", "ml.m5.large", "hourly",
                                                           "${env:X}", "cron(0 * ? * * *)", "aws", "local"]))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                       st.dictionaries(st.text(max_size=8), inner, max_size=3)),
                      max_leaves=6)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, prefix + (index,))


PATHS = [path for path in _paths(BASE_DATA) if path]


def _mutate(data, path, action, value):
    import copy

    data = copy.deepcopy(data)
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if action == "delete":
        del parent[last]
    elif action == "replace":
        parent[last] = value
    elif isinstance(parent[last], dict):
        parent[last]["x_" + str(value)[:5]] = value
    return data


def _check(source: Source) -> None:
    for env in (None, "local", "dev", "nope"):
        findings = validate_source(source, env)
        assert all(f.rule.startswith("FS") and f.location for f in findings)
        crashed = [f for f in findings if f.message.startswith(f"rule {f.rule} failed")]
        assert not crashed, "a rule crashed on a schema-valid document"


def _load(text: str) -> None:
    try:
        source = parse_source(text, str(SPEC_PATH))
    except FraudspecError:
        return
    _check(source)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(PATHS), action=st.sampled_from(["delete", "replace", "add"]), value=values)
def test_mutated_documents_give_findings_not_crashes(path, action, value) -> None:
    data = _mutate(BASE_DATA, path, action, value)
    _load(yaml.safe_dump(data))


@settings(max_examples=200, deadline=None)
@given(position=st.integers(0, len(BASE) - 1), cut=st.integers(0, 8), insert=st.text(max_size=6))
def test_mangled_text_gives_findings_not_crashes(position, cut, insert) -> None:
    _load(BASE[:position] + insert + BASE[position + cut:])


@settings(max_examples=50, deadline=None)
@given(rows=st.integers(100, 10**6), memory=st.sampled_from([1024, 2048, 3072, 4096, 5120, 6144]))
def test_valid_variations_load_as_specs(tmp_path_factory, rows, memory) -> None:
    text = BASE.replace("rows: 1000", f"rows: {rows}").replace("memory_mb: 2048", f"memory_mb: {memory}")
    path = tmp_path_factory.mktemp("fuzz") / "spec.yaml"
    path.write_text(text)
    spec = load_spec(path, "dev")
    assert isinstance(spec, Spec) and spec.endpoint.serverless.memory_mb == memory and spec.model.data.rows == rows
