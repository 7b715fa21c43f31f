"""The six checks on hand-computed small cases."""

from __future__ import annotations

import dataclasses

from fraudspec.monitoring.engine import checks
from fraudspec.monitoring.engine.constraints import ConfigOverride, Constraints
from fraudspec.monitoring.engine.statistics import profile
from fraudspec.monitoring.engine.table import TableBuilder
from tests.monitoring.conftest import baseline_of


def run(baseline, constraints: Constraints, features, rows=(), named=(), text=()):
    builder = TableBuilder(features, text)
    for row in rows:
        builder.add_positional(row)
    for row in named:
        builder.add_named(row)
    table = builder.build()
    current = profile(table, {f.name: f.inferred_type for f in constraints.features if f.name in table.columns})
    return checks.evaluate(baseline, constraints, table, current)


def with_config(constraints: Constraints, **changes) -> Constraints:
    return dataclasses.replace(constraints, config=dataclasses.replace(constraints.config, **changes))


def only(result, check_type: str):
    return [(v.feature_name, v.description) for v in result.violations if v.constraint_check_type == check_type]


def test_data_type_check_reports_the_matching_share_below_the_threshold() -> None:
    baseline, constraints = baseline_of(["n"], [[str(i)] for i in range(8)])
    rows = [["1"], ["2"], ["3"], ["4.5"]]
    strict = with_config(constraints, datatype_check_threshold=1.0, perform_comparison=False)
    assert run(baseline, strict, ["n"], rows).violations == (checks.Violation("n", "data_type_check",
        "Data type match requirement is not met. Expected data type: Integral, Expected match: 100.0%. "
        "Observed: Only 75.0% of data is Integral."),)
    lenient = with_config(constraints, datatype_check_threshold=0.1, perform_comparison=False)
    assert run(baseline, lenient, ["n"], rows).violations == ()


def test_integral_values_match_a_fractional_baseline_and_anything_matches_a_string_one() -> None:
    baseline, constraints = baseline_of(["x", "s"], [["0.5", "a"], ["1.5", "a"]], ["s"])
    strict = with_config(
        constraints, datatype_check_threshold=1.0, perform_comparison=False, domain_content_threshold=1.0
    )
    assert only(run(baseline, strict, ["x", "s"], [["1", "7"], ["2.5", "b"]], text=["s"]), "data_type_check") == []


def test_completeness_check_uses_deequs_message() -> None:
    baseline, constraints = baseline_of(["n"], [["1"], ["2"]])  # completeness 1.0 suggested
    result = run(baseline, with_config(constraints, perform_comparison=False), ["n"], [["1"], [""], ["3"], ["4"]])
    assert only(result, "completeness_check") == [("n", "Value: 0.75 does not meet the constraint requirement! ")]


def test_numerical_drift_is_flagged_only_above_the_threshold() -> None:
    baseline, constraints = baseline_of(["n"], [["1"], ["2"], ["3"], ["4"]])
    simple = with_config(constraints, comparison_method="Simple", comparison_threshold=0.2)
    result = run(baseline, simple, ["n"], [["2"], ["3"], ["4"], ["5"]])
    assert only(result, "baseline_drift_check") == [("n", "Numerical distance: 0.25 exceeds numerical threshold: 0.2")]
    assert result.drifts == (checks.Drift("n", "Numerical", "Simple", 0.25, 0.2),)
    at_threshold = with_config(constraints, comparison_method="Simple", comparison_threshold=0.25)
    assert only(run(baseline, at_threshold, ["n"], [["2"], ["3"], ["4"], ["5"]]), "baseline_drift_check") == []
    robust = with_config(constraints, comparison_threshold=0.0)
    assert only(run(baseline, robust, ["n"], [["2"], ["3"], ["4"], ["5"]]), "baseline_drift_check") == []


def test_categorical_drift_uses_linf_or_chi_square() -> None:
    rows = [["SG"]] * 60 + [["MY"]] * 40
    baseline, constraints = baseline_of(["c"], rows, ["c"])
    current = [["SG"]] * 20 + [["MY"]] * 80
    linf = with_config(constraints, comparison_method="Simple", categorical_comparison_threshold=0.3)
    assert only(run(baseline, linf, ["c"], current, text=["c"]), "baseline_drift_check") == [
        ("c", "Categorical distance: 0.4 exceeds categorical threshold: 0.3")
    ]
    chi = with_config(constraints, categorical_drift_method="ChiSquared", categorical_comparison_threshold=0.05)
    [drift] = run(baseline, chi, ["c"], current, text=["c"]).drifts
    assert (drift.method, drift.threshold, drift.violated) == ("ChiSquared", 0.95, True)
    assert drift.distance > 0.999999  # p-value of 20/80 against 60/40 is ~1e-15
    same = run(baseline, chi, ["c"], rows, text=["c"]).drifts[0]
    assert same.distance == 0.0 and not same.violated


def test_categorical_values_check_counts_values_outside_the_domain() -> None:
    baseline, constraints = baseline_of(["c"], [["SG"], ["SG"], ["MY"], ["MY"]], ["c"])
    assert constraints.features[0].domains == ("MY", "SG")
    config = with_config(constraints, perform_comparison=False, domain_content_threshold=0.2)
    result = run(baseline, config, ["c"], [["SG"], ["MY"], ["ID"], ["SG"]], text=["c"])
    assert only(result, "categorical_values_check") == [("c", "Value: 0.75 does not meet the constraint requirement! ")]
    assert run(baseline, config, ["c"], [["SG"], ["MY"], ["ID"], ["SG"], ["SG"]], text=["c"]).violations == ()


def test_a_missing_column_gets_one_violation_and_no_cascade() -> None:
    baseline, constraints = baseline_of(["a", "b"], [["1", "2"], ["3", "4"]])
    result = run(baseline, constraints, ["a", "b"], [["1"], ["2"]])
    assert [(v.feature_name, v.constraint_check_type) for v in result.violations] == [("b", "missing_column_check")]
    assert result.violations[0].description == (
        "Column b is in the baseline constraints but missing from the current data: "
        "the current data has 1 column(s), the baseline 2."
    )
    assert [d.feature for d in result.drifts] == ["a"]


def test_extra_columns_are_reported_by_name() -> None:
    baseline, constraints = baseline_of(["a"], [["1"], ["2"]])
    result = run(
        baseline, with_config(constraints, perform_comparison=False), ["a"], [["1", "9"]], named=[{"a": 2, "zip": 5}]
    )
    assert only(result, "extra_column_check") == [
        (
            "_c1",
            "Column _c1 is in the current data but not in the baseline constraints: "
            "the current data has 3 column(s), the baseline 1.",
        ),
        (
            "zip",
            "Column zip is in the current data but not in the baseline constraints: "
            "the current data has 3 column(s), the baseline 1.",
        ),
    ]


def test_a_feature_override_can_switch_its_checks_off() -> None:
    baseline, constraints = baseline_of(["a", "b"], [["1", "1"], ["2", "2"]])
    quiet = dataclasses.replace(
        constraints.features[0], overrides=ConfigOverride(evaluate_constraints=False, perform_comparison=False)
    )
    constraints = dataclasses.replace(constraints, features=(quiet, constraints.features[1]))
    result = run(baseline, constraints, ["a", "b"], [["", "1"], ["", "2"]])
    assert [v.feature_name for v in result.violations] == []
    assert [d.feature for d in result.drifts] == ["b"]


def test_is_non_negative_is_kept_but_not_checked() -> None:
    baseline, constraints = baseline_of(["a"], [["1"], ["2"]])
    assert constraints.features[0].is_non_negative is True
    assert run(baseline, with_config(constraints, perform_comparison=False), ["a"], [["-1"], ["-2"]]).violations == ()


def test_a_constraint_feature_the_capture_does_not_map_is_missing_too() -> None:
    baseline, constraints = baseline_of(["a", "b"], [["1", "2"], ["3", "4"]])
    result = run(baseline, constraints, ["a"], [["1"], ["2"]])  # the capture maps only "a"
    assert [(v.feature_name, v.constraint_check_type) for v in result.violations] == [("b", "missing_column_check")]
    assert "the current data has 1 column(s), the baseline 2." in result.violations[0].description
