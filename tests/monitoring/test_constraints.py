"""constraints.json: suggestion from a baseline, customization from the spec, both override spellings."""

from __future__ import annotations

import json

import pytest

from fraudspec.core import jsonfile
from fraudspec.core.jsonfile import DocumentError
from fraudspec.monitoring.engine import constraints
from fraudspec.monitoring.engine.constraints import ConfigOverride, MonitoringConfig, customize
from fraudspec.spec.model import CompletenessSpec, DriftSpec, MonitoringSpec, Schedule, frozen_map
from tests.monitoring.conftest import baseline_of

SCHEDULE = Schedule("hourly", "cron(0 * ? * * *)", "cron(0 * ? * * *)")


def suggested():
    rows = [["1", "-0.5", "SG"], ["2", "", "SG"], ["3", "1.5", "MY"], ["4", "2.5", "MY"]]
    return baseline_of(["count", "delta", "country"], rows, ["country"])[1]


def test_suggested_constraints_come_from_the_baseline() -> None:
    count, delta, country = suggested().features
    assert (count.inferred_type, count.completeness, count.is_non_negative, count.domains) == (
        "Integral",
        1.0,
        True,
        None,
    )
    assert (delta.inferred_type, delta.completeness, delta.is_non_negative) == ("Fractional", 0.75, False)
    assert (country.inferred_type, country.domains, country.is_non_negative) == ("String", ("MY", "SG"), None)
    assert suggested().config == MonitoringConfig()


def test_no_domain_when_more_than_a_tenth_of_the_categories_are_seen_once() -> None:
    rows = [[v] for v in ["a"] * 5 + ["b"] * 5 + ["c"]]  # 1 of 3 categories seen once
    assert baseline_of(["x"], rows, ["x"])[1].features[0].domains is None


def spec_json(**monitoring) -> dict:
    return constraints.to_json(customize(suggested(), MonitoringSpec(SCHEDULE, **monitoring)))


def feature(document: dict, name: str) -> dict:
    return next(f for f in document["features"] if f["name"] == name)


# The README's mapping table, row by row: spec field -> where it lands in constraints.json.
@pytest.mark.parametrize(
    ("monitoring", "path", "expected"),
    [
        ({}, ["monitoring_config", "distribution_constraints", "comparison_method"], "Robust"),
        (
            {"drift": DriftSpec(method="simple")},
            ["monitoring_config", "distribution_constraints", "comparison_method"],
            "Simple",
        ),
        (
            {"drift": DriftSpec(threshold=0.2)},
            ["monitoring_config", "distribution_constraints", "comparison_threshold"],
            0.2,
        ),
        (
            {"drift": DriftSpec(threshold=0.2)},
            ["monitoring_config", "distribution_constraints", "categorical_comparison_threshold"],
            0.2,
        ),
        (
            {"drift": DriftSpec(categorical_threshold=0.3)},
            ["monitoring_config", "distribution_constraints", "categorical_comparison_threshold"],
            0.3,
        ),
        ({}, ["monitoring_config", "distribution_constraints", "categorical_drift_method"], "LInfinity"),
        (
            {"drift": DriftSpec(categorical_method="chisquared")},
            ["monitoring_config", "distribution_constraints", "categorical_drift_method"],
            "ChiSquared",
        ),
        ({"data_type_threshold": 1.0}, ["monitoring_config", "datatype_check_threshold"], 1.0),
        ({"domain_threshold": 0.25}, ["monitoring_config", "domain_content_threshold"], 0.25),
        ({}, ["monitoring_config", "emit_metrics"], "Enabled"),
        ({"emit_metrics": False}, ["monitoring_config", "emit_metrics"], "Disabled"),
        ({}, ["monitoring_config", "evaluate_constraints"], "Enabled"),
        ({}, ["monitoring_config", "distribution_constraints", "perform_comparison"], "Enabled"),
    ],
)
def test_spec_fields_map_onto_monitoring_config(monitoring, path, expected) -> None:
    value = spec_json(**monitoring)
    for key in path:
        value = value[key]
    assert value == expected


def test_per_feature_drift_thresholds_become_overrides_of_the_right_threshold() -> None:
    document = spec_json(drift=DriftSpec(features=frozen_map({"delta": 0.05, "country": 0.2})))
    assert feature(document, "delta")["monitoring_config_overrides"] == {
        "distribution_constraints": {"comparison_threshold": 0.05}
    }
    assert feature(document, "country")["monitoring_config_overrides"] == {
        "distribution_constraints": {"categorical_comparison_threshold": 0.2}
    }
    assert "monitoring_config_overrides" not in feature(document, "count")


def test_completeness_comes_from_the_spec_or_the_baseline() -> None:
    observed = spec_json()
    assert [f["completeness"] for f in observed["features"]] == [1.0, 0.75, 1.0]
    required = spec_json(completeness=CompletenessSpec(threshold=0.9, features=frozen_map({"delta": 0.5})))
    assert [f["completeness"] for f in required["features"]] == [0.9, 0.5, 0.9]


def test_constraints_json_round_trips() -> None:
    built = customize(suggested(), MonitoringSpec(SCHEDULE, drift=DriftSpec(features=frozen_map({"delta": 0.05}))))
    text = jsonfile.dumps(constraints.to_json(built))
    assert constraints.from_json(json.loads(text)) == built


@pytest.mark.parametrize("key", ["monitoring_config_overrides", "monitoringConfigOverrides"])
def test_both_override_spellings_are_read(key: str) -> None:
    document = {
        "features": [
            {
                "name": "a",
                "inferred_type": "Fractional",
                key: {"evaluate_constraints": "Disabled", "distribution_constraints": {"comparison_threshold": 0.3}},
            }
        ]
    }
    read = constraints.from_json(document)
    assert read.features[0].overrides == ConfigOverride(evaluate_constraints=False, comparison_threshold=0.3)
    effective = read.config_for("a")
    assert (effective.evaluate_constraints, effective.comparison_threshold, effective.comparison_method) == (
        False,
        0.3,
        "Robust",
    )


def test_overrides_nested_by_older_sdks_and_flat_distribution_keys_are_read() -> None:
    document = {
        "features": [
            {
                "name": "c",
                "inferred_type": "String",
                "string_constraints": {
                    "domains": ["x"],
                    "monitoring_config_overrides": {"evaluate_constraints": "Disabled"},
                },
                "monitoringConfigOverrides": {"categorical_comparison_threshold": 0.4},
            }
        ]
    }
    override = constraints.from_json(document).features[0].overrides
    assert override == ConfigOverride(evaluate_constraints=False, categorical_comparison_threshold=0.4)


def test_a_model_monitor_file_without_monitoring_config_gets_the_documented_defaults() -> None:
    read = constraints.from_json(
        {
            "version": 0.0,
            "features": [
                {
                    "name": "a",
                    "inferred_type": "Integral",
                    "completeness": 1.0,
                    "num_constraints": {"is_non_negative": True},
                }
            ],
        }
    )
    assert read.config == MonitoringConfig()
    assert read.features[0].is_non_negative is True


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({}, "constraints.features is missing"),
        ({"features": [{"inferred_type": "Integral"}]}, r"features\[0\].name is missing"),
        ({"features": [], "monitoring_config": {"emit_metrics": "Yes"}}, 'must be "Enabled" or "Disabled"'),
        (
            {"features": [], "monitoring_config": {"distribution_constraints": {"comparison_method": "linf_robust"}}},
            "comparison_method must be one of Simple, Robust",
        ),
        ({"features": [], "monitoring_config": {"datatype_check_threshold": True}}, "must be int or float"),
    ],
)
def test_bad_documents_name_the_broken_field(document, message) -> None:
    with pytest.raises(DocumentError, match=message):
        constraints.from_json(document)
