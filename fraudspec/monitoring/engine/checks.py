"""The six Model Monitor checks, evaluated on the current data against the baseline and constraints.

Wording follows what Model Monitor is seen to write where that is known (data type, drift) and
Deequ's generic constraint message elsewhere; the column checks use fraudspec's own wording (no
public source shows Model Monitor's). A column missing from the current data gets only its
missing_column_check, not a cascade of type, completeness and drift violations.
`is_non_negative` is suggested and kept in constraints.json, but, as in Model Monitor, none of the
six checks evaluates it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from fraudspec.monitoring.engine import distance
from fraudspec.monitoring.engine.constraints import Constraints, FeatureConstraints, MonitoringConfig
from fraudspec.monitoring.engine.statistics import NUMERIC_TYPES, DatasetStatistics
from fraudspec.monitoring.engine.table import Column, Table

CheckType = Literal[
    "data_type_check", "completeness_check", "baseline_drift_check",
    "missing_column_check", "extra_column_check", "categorical_values_check",
]


@dataclass(frozen=True)
class Violation:
    feature_name: str
    constraint_check_type: CheckType
    description: str


@dataclass(frozen=True)
class Drift:
    """One feature's distance to the baseline, whether or not it is a violation."""

    feature: str
    kind: Literal["Numerical", "Categorical"]
    method: str  # "Robust", "Simple" or "ChiSquared"
    distance: float
    threshold: float  # what the distance is compared with (1 - alpha for ChiSquared)

    @property
    def violated(self) -> bool:
        return self.distance > self.threshold


@dataclass(frozen=True)
class CheckResult:
    violations: tuple[Violation, ...]
    drifts: tuple[Drift, ...]


def evaluate(
    baseline: DatasetStatistics, constraints: Constraints, table: Table, current: DatasetStatistics
) -> CheckResult:
    violations: list[Violation] = []
    drifts: list[Drift] = []
    missing = {f.name for f in constraints.features if f.name not in table.columns or f.name in table.absent}
    width = len(constraints.features)
    observed = width - len(missing) + len(table.extra)
    for feature in constraints.features:
        config = constraints.config_for(feature.name)
        column = table.columns.get(feature.name)
        if not config.evaluate_constraints and not config.perform_comparison:
            continue
        if column is None or feature.name in missing:
            if config.evaluate_constraints:
                violations.append(
                    Violation(
                        feature.name,
                        "missing_column_check",
                        f"Column {feature.name} is in the baseline constraints but missing from the current data: "
                        f"the current data has {observed} column(s), the baseline {width}.",
                    )
                )
            continue
        drift = _drift(feature, config, baseline, current, column) if config.perform_comparison else None
        if drift is not None:
            drifts.append(drift)
        if config.evaluate_constraints:
            violations.extend(_feature_violations(feature, config, column, table.rows, drift))
    if constraints.config.evaluate_constraints:
        violations.extend(
            Violation(
                name,
                "extra_column_check",
                f"Column {name} is in the current data but not in the baseline constraints: "
                f"the current data has {observed} column(s), the baseline {width}.",
            )
            for name in table.extra
        )
    return CheckResult(tuple(violations), tuple(drifts))


def _feature_violations(
    feature: FeatureConstraints, config: MonitoringConfig, column: Column, rows: int, drift: Drift | None
) -> list[Violation]:
    found = []
    expected = feature.inferred_type
    if column.present and expected != "Unknown":
        numbers = column.integral + column.fractional
        matched = {"Integral": column.integral, "Fractional": numbers}.get(expected, column.present)
        share = matched / column.present
        if share < config.datatype_check_threshold:
            found.append(
                Violation(
                    feature.name,
                    "data_type_check",
                    f"Data type match requirement is not met. Expected data type: {expected}, "
                    f"Expected match: {_percent(config.datatype_check_threshold)}%. "
                    f"Observed: Only {_percent(share)}% of data is {expected}.",
                )
            )
    if feature.completeness is not None and rows:
        observed = column.present / rows
        if observed < feature.completeness:
            found.append(Violation(feature.name, "completeness_check", _deequ_message(observed)))
    if drift is not None and drift.violated:
        kind = drift.kind.lower()
        found.append(
            Violation(
                feature.name,
                "baseline_drift_check",
                f"{drift.kind} distance: {drift.distance} exceeds {kind} threshold: {drift.threshold}",
            )
        )
    texts = column.text_counts()
    if feature.domains is not None and column.present and texts is not None:
        domain = set(feature.domains)
        inside = sum(count for value, count in texts.items() if value in domain) / column.present
        if 1.0 - inside > config.domain_content_threshold:
            found.append(Violation(feature.name, "categorical_values_check", _deequ_message(inside)))
    return found


def _drift(
    feature: FeatureConstraints,
    config: MonitoringConfig,
    baseline: DatasetStatistics,
    current: DatasetStatistics,
    column: Column,
) -> Drift | None:
    """The distance to the baseline, or None where it cannot be computed (no values on one side)."""
    base, now = baseline.feature(feature.name), current.feature(feature.name)
    if base is None or now is None:
        return None
    if feature.inferred_type in NUMERIC_TYPES:
        if base.numeric is None or now.numeric is None:
            return None
        value = distance.ks_distance(base.numeric.sketch, now.numeric.sketch, config.comparison_method)
        return Drift(feature.name, "Numerical", config.comparison_method, value, config.comparison_threshold)
    observed = column.text_counts()
    if feature.inferred_type != "String" or base.string is None or not base.string.categories or not observed:
        return None
    expected = dict(base.string.categories)
    threshold = config.categorical_comparison_threshold
    if config.categorical_drift_method == "ChiSquared":
        p_value = distance.chi_square_p_value(expected, observed)
        if p_value is None:
            return None
        return Drift(feature.name, "Categorical", "ChiSquared", 1.0 - p_value, 1.0 - threshold)
    value = distance.linf_distance(expected, observed, config.comparison_method)
    return Drift(feature.name, "Categorical", config.comparison_method, value, threshold)


def _percent(share: float) -> str:
    """One decimal, rounded down, so 99.96% is never shown as a failing 100.0%."""
    return f"{math.floor(share * 1000 + 1e-9) / 10:.1f}"


def _deequ_message(value: float) -> str:
    return f"Value: {value} does not meet the constraint requirement! "
