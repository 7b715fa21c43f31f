"""One list of what a model is built from: a model field changes the build cache key and the lock's
model digest together, or neither."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from fraudspec.artifact.pipeline import cache_key
from fraudspec.core.errors import FraudspecError
from fraudspec.lock.inputs import spec_digests, spec_inputs
from fraudspec.spec.load import load_spec
from fraudspec.spec.model import CsvData, Feature, ModelSpec, Spec, frozen_map
from fraudspec.spec.schema import document_schema

EXAMPLE = Path(__file__).resolve().parents[2] / "specs" / "fraud-detection.yaml"
# One change per field of the model section: a new field fails the coverage check below until it has one.
CHANGES: dict[str, Any] = {
    "features": lambda model: model.features[:-1],
    "target": lambda model: "label",
    "data": lambda model: dataclasses.replace(model.data, rows=model.data.rows + 1),
    "algorithm": lambda model: "logistic_regression",
    "hyperparameters": lambda model: frozen_map({**model.hyperparameters, "n_estimators": 7}),
    "gate": lambda model: frozen_map({"roc_auc": 0.1}),
    "validation_fraction": lambda model: 0.3,
    "split_seed": lambda model: 1,
    "decision_threshold": lambda model: 0.7,
}
NOT_SHAPING = {"gate"}  # judges a model, does not shape it


def _with_model(spec: Spec, **changes: Any) -> Spec:
    return dataclasses.replace(spec, model=dataclasses.replace(spec.model, **changes))


def _both(spec: Spec) -> tuple[str, str | None]:
    return cache_key(spec.model), spec_digests(spec)["model"]


def test_every_model_field_has_a_change() -> None:
    properties = document_schema()["$defs"]["model"]["properties"]
    assert set(CHANGES) == set(properties) == {field.name for field in dataclasses.fields(ModelSpec)}


@pytest.mark.parametrize("field", sorted(CHANGES))
def test_a_model_field_changes_the_cache_key_and_the_lock_digest_together(field: str) -> None:
    spec = load_spec(EXAMPLE, "dev")
    changed = _with_model(spec, **{field: CHANGES[field](spec.model)})
    before, after = _both(spec), _both(changed)
    shapes = field not in NOT_SHAPING
    assert (before[0] != after[0], before[1] != after[1]) == (shapes, shapes), field


def test_training_data_counts_by_content(tmp_path: Path) -> None:
    spec = load_spec(EXAMPLE, "dev")
    data = tmp_path / "train.csv"
    data.write_text("amount,is_fraud\n1,0\n")
    moved = tmp_path / "elsewhere.csv"
    moved.write_text(data.read_text())
    first, same = (_with_model(spec, data=CsvData(path)) for path in (data, moved))
    assert _both(first) == _both(same), "a CSV's path is not an input, its bytes are"
    before = _both(first)
    data.write_text("amount,is_fraud\n2,0\n")
    after = _both(first)
    assert before[0] != after[0] and before[1] != after[1]
    parts = spec_inputs(first).parts
    assert parts["statistics"]["data"] == parts["model"]["data"], "the baseline profiles the same data"


def test_unreadable_training_data_is_a_located_error(tmp_path: Path) -> None:
    spec = _with_model(load_spec(EXAMPLE, "dev"), data=CsvData(tmp_path / "missing.csv"))
    for compute in (lambda: cache_key(spec.model), lambda: spec_digests(spec)):
        with pytest.raises(FraudspecError, match="cannot read training data") as error:
            compute()
        assert error.value.hint == "fix model.data.csv in the spec"


def test_feature_types_are_inputs() -> None:
    spec = load_spec(EXAMPLE, "dev")
    last = spec.model.features[-1]
    retyped = _with_model(spec, features=(*spec.model.features[:-1], Feature(last.name, "categorical")))
    assert all(a != b for a, b in zip(_both(spec), _both(retyped)))
