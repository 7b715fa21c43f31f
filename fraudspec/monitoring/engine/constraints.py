"""constraints.json: constraints suggested from a baseline, customized from the spec, read and written.

Suggested (as Model Monitor suggests them): completeness = the non-null fraction observed in the
baseline; `is_non_negative` = baseline min >= 0; `domains` = the observed values of a String feature
with at most 120 distinct values of which at most 10% occur once (Deequ's CategoricalRangeRule).
Customized: the thresholds and methods of `monitoring:` in the spec replace the defaults; see
`customize` and the README's "Monitoring" section for the mapping.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from fraudspec.core import jsonfile
from fraudspec.core.jsonfile import DocumentError
from fraudspec.monitoring.engine.statistics import INFERRED_TYPES, DatasetStatistics, InferredType
from fraudspec.spec.model import MonitoringSpec

ComparisonMethod = Literal["Simple", "Robust"]
CategoricalMethod = Literal["LInfinity", "ChiSquared"]
COMPARISON_METHODS: dict[str, ComparisonMethod] = {"simple": "Simple", "robust": "Robust"}
CATEGORICAL_METHODS: dict[str, CategoricalMethod] = {"linf": "LInfinity", "chisquared": "ChiSquared"}
OVERRIDE_KEYS = ("monitoring_config_overrides", "monitoringConfigOverrides")  # the SDK's and the docs' spelling
UNIQUE_VALUE_RATIO = 0.1  # Deequ CategoricalRangeRule: share of categories seen once, at most


@dataclass(frozen=True)
class MonitoringConfig:
    """`monitoring_config`, flattened; the defaults are AWS's documented ones."""

    evaluate_constraints: bool = True
    emit_metrics: bool = True
    datatype_check_threshold: float = 0.1
    domain_content_threshold: float = 0.1
    perform_comparison: bool = True
    comparison_threshold: float = 0.1
    comparison_method: ComparisonMethod = "Robust"
    categorical_comparison_threshold: float = 0.1
    categorical_drift_method: CategoricalMethod = "LInfinity"


_TOP_LEVEL = ("evaluate_constraints", "emit_metrics", "datatype_check_threshold", "domain_content_threshold")
_DISTRIBUTION = ("perform_comparison", "comparison_threshold", "comparison_method",
                 "categorical_comparison_threshold", "categorical_drift_method")
_SWITCHES = ("evaluate_constraints", "emit_metrics", "perform_comparison")
_CHOICES = {"comparison_method": ("Simple", "Robust"), "categorical_drift_method": ("LInfinity", "ChiSquared")}


@dataclass(frozen=True)
class ConfigOverride:
    """A feature's `monitoring_config_overrides`: the fields it sets, None for the others."""

    evaluate_constraints: bool | None = None
    emit_metrics: bool | None = None
    datatype_check_threshold: float | None = None
    domain_content_threshold: float | None = None
    perform_comparison: bool | None = None
    comparison_threshold: float | None = None
    comparison_method: ComparisonMethod | None = None
    categorical_comparison_threshold: float | None = None
    categorical_drift_method: CategoricalMethod | None = None

    def set_fields(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if getattr(self, f.name) is not None}

    def apply(self, config: MonitoringConfig) -> MonitoringConfig:
        return dataclasses.replace(config, **self.set_fields())


@dataclass(frozen=True)
class FeatureConstraints:
    name: str
    inferred_type: InferredType
    completeness: float | None = None
    is_non_negative: bool | None = None  # numeric features
    domains: tuple[str, ...] | None = None  # String features
    overrides: ConfigOverride = ConfigOverride()


@dataclass(frozen=True)
class Constraints:
    features: tuple[FeatureConstraints, ...]
    config: MonitoringConfig = MonitoringConfig()

    def feature(self, name: str) -> FeatureConstraints | None:
        return next((f for f in self.features if f.name == name), None)

    def config_for(self, name: str) -> MonitoringConfig:
        feature = self.feature(name)
        return feature.overrides.apply(self.config) if feature else self.config


def suggest(baseline: DatasetStatistics) -> Constraints:
    features = []
    for stats in baseline.features:
        non_negative = stats.numeric.min >= 0 if stats.numeric is not None else None
        domains = None
        categories = stats.string.categories if stats.string is not None else None
        if categories:
            seen_once = sum(1 for _, count in categories if count == 1)
            if seen_once / len(categories) <= UNIQUE_VALUE_RATIO:
                domains = tuple(value for value, _ in categories)
        features.append(FeatureConstraints(stats.name, stats.inferred_type, stats.completeness, non_negative, domains))
    return Constraints(tuple(features))


def customize(suggested: Constraints, monitoring: MonitoringSpec) -> Constraints:
    """The suggested constraints with the spec's thresholds and methods (see the README mapping)."""
    drift = monitoring.drift
    categorical_threshold = drift.threshold if drift.categorical_threshold is None else drift.categorical_threshold
    config = MonitoringConfig(
        emit_metrics=monitoring.emit_metrics,
        datatype_check_threshold=monitoring.data_type_threshold,
        domain_content_threshold=monitoring.domain_threshold,
        comparison_threshold=drift.threshold,
        comparison_method=COMPARISON_METHODS[drift.method],
        categorical_comparison_threshold=categorical_threshold,
        categorical_drift_method=CATEGORICAL_METHODS[drift.categorical_method],
    )
    features = []
    for feature in suggested.features:
        required = monitoring.completeness.threshold_for(feature.name)
        override = feature.overrides
        if feature.name in drift.features:
            threshold = drift.features[feature.name]
            if feature.inferred_type == "String":
                override = dataclasses.replace(override, categorical_comparison_threshold=threshold)
            else:
                override = dataclasses.replace(override, comparison_threshold=threshold)
        features.append(dataclasses.replace(
            feature, completeness=feature.completeness if required is None else required, overrides=override))
    return Constraints(tuple(features), config)


# --- constraints.json --------------------------------------------------------------------------


def to_json(constraints: Constraints) -> dict[str, Any]:
    return {
        "version": 0.0,
        "features": [_feature_json(f) for f in constraints.features],
        "monitoring_config": _config_json(dataclasses.asdict(constraints.config)),
    }


def _feature_json(feature: FeatureConstraints) -> dict[str, Any]:
    document: dict[str, Any] = {"name": feature.name, "inferred_type": feature.inferred_type}
    if feature.completeness is not None:
        document["completeness"] = feature.completeness
    if feature.is_non_negative is not None:
        document["num_constraints"] = {"is_non_negative": feature.is_non_negative}
    if feature.domains is not None:
        document["string_constraints"] = {"domains": list(feature.domains)}
    overrides = feature.overrides.set_fields()
    if overrides:
        document["monitoring_config_overrides"] = _config_json(overrides)
    return document


def _config_json(fields: Mapping[str, Any]) -> dict[str, Any]:
    def value(key: str) -> Any:
        return ("Enabled" if fields[key] else "Disabled") if key in _SWITCHES else fields[key]

    document = {key: value(key) for key in _TOP_LEVEL if key in fields}
    distribution = {key: value(key) for key in _DISTRIBUTION if key in fields}
    if distribution:
        document["distribution_constraints"] = distribution
    return document


def from_json(document: Any) -> Constraints:
    """Reads constraints.json (fraudspec's, the SDK's or hand-edited); raises DocumentError on a bad shape."""
    features = jsonfile.get(document, "features", list, "constraints")
    config_document = jsonfile.get(document, "monitoring_config", dict, "constraints", {})
    config = MonitoringConfig(**_config_fields(config_document, "constraints.monitoring_config"))
    return Constraints(tuple(_feature_from_json(f, i) for i, f in enumerate(features)), config)


def _feature_from_json(document: Any, index: int) -> FeatureConstraints:
    where = f"constraints.features[{index}]"
    name = jsonfile.get(document, "name", str, where)
    inferred = jsonfile.get(document, "inferred_type", str, where, "Unknown")
    if inferred not in INFERRED_TYPES:
        raise DocumentError(f"{where}.inferred_type must be one of {', '.join(INFERRED_TYPES)}, not {inferred!r}")
    completeness = jsonfile.get(document, "completeness", (int, float), where, None)
    numbers = jsonfile.get(document, "num_constraints", dict, where, {})
    strings = jsonfile.get(document, "string_constraints", dict, where, {})
    non_negative = jsonfile.get(numbers, "is_non_negative", bool, f"{where}.num_constraints", None)
    domains = jsonfile.get(strings, "domains", list, f"{where}.string_constraints", None)
    override: dict[str, Any] = {}
    # Older SDKs nest the overrides inside num_constraints / string_constraints; the feature level wins.
    holders = ((numbers, f"{where}.num_constraints"), (strings, f"{where}.string_constraints"), (document, where))
    for holder, path in holders:
        for key in OVERRIDE_KEYS:
            if key in holder:
                override.update(_config_fields(jsonfile.get(holder, key, dict, path), f"{path}.{key}"))
    return FeatureConstraints(
        name,
        inferred,
        None if completeness is None else float(completeness),
        non_negative,
        None if domains is None else tuple(str(d) for d in domains),
        ConfigOverride(**override),
    )


def _config_fields(document: Mapping[str, Any], where: str) -> dict[str, Any]:
    """The typed fields a monitoring_config (or an override of one) sets.

    Distribution settings are read from `distribution_constraints`, or from the top level where
    hand-written overrides often put them.
    """
    distribution = jsonfile.get(document, "distribution_constraints", dict, where, {})
    fields: dict[str, Any] = {}
    for key in _TOP_LEVEL + _DISTRIBUTION:
        holder, path = (distribution, f"{where}.distribution_constraints") if key in distribution else (document, where)
        if key not in holder:
            continue
        if key in _SWITCHES:
            flag = jsonfile.get(holder, key, str, path)
            if flag not in ("Enabled", "Disabled"):
                raise DocumentError(f'{path}.{key} must be "Enabled" or "Disabled", not {flag!r}')
            fields[key] = flag == "Enabled"
        elif key in _CHOICES:
            choice = jsonfile.get(holder, key, str, path)
            if choice not in _CHOICES[key]:
                raise DocumentError(f"{path}.{key} must be one of {', '.join(_CHOICES[key])}, not {choice!r}")
            fields[key] = choice
        else:
            fields[key] = float(jsonfile.get(holder, key, (int, float), path))
    return fields
