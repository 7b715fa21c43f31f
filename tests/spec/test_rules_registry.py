"""The rule registry: one place, unique ids, every schema-reported rule registered, lists in sync."""

from __future__ import annotations

import json
import re

import pytest

from fraudspec.spec.rules import Rule
from fraudspec.spec.rules.model import HYPERPARAMETERS
from fraudspec.spec.rules.registry import RULES, _register
from fraudspec.spec.schema import SCHEMA_FILE, realtime_only


def _x_rules(node):
    if isinstance(node, dict):
        if "x-rule" in node:
            yield node["x-rule"]
        for value in node.values():
            yield from _x_rules(value)
    elif isinstance(node, list):
        for value in node:
            yield from _x_rules(value)


def test_rule_ids_are_well_formed_and_summarised() -> None:
    for rule_id, rule in RULES.items():
        assert re.fullmatch(r"FS\d{3}", rule_id) and rule.id == rule_id and rule.summary


def test_every_schema_rule_is_registered() -> None:
    used = set(_x_rules(json.loads(SCHEMA_FILE.read_text())))
    assert used and used <= set(RULES)


def test_registry_refuses_duplicate_ids() -> None:
    with pytest.raises(RuntimeError, match="duplicate rule id FS999"):
        _register((Rule("FS999", "a"),), (Rule("FS999", "b"),))


def test_hyperparameter_lists_match_installed_scikit_learn() -> None:
    ensemble = pytest.importorskip("sklearn.ensemble")
    from sklearn.linear_model import LogisticRegression

    estimators = {"random_forest": ensemble.RandomForestClassifier,
                  "gradient_boosting": ensemble.HistGradientBoostingClassifier,
                  "logistic_regression": LogisticRegression}
    for algorithm, estimator in estimators.items():
        assert HYPERPARAMETERS[algorithm] >= set(estimator().get_params()) - {"multi_class"}, algorithm


def test_realtime_only_fields_are_read_from_the_schema() -> None:
    """FS105 names a realtime setting under serverless; which settings those are, the schema says."""
    assert realtime_only() == {"instance_type", "instance_count", "autoscaling"}
