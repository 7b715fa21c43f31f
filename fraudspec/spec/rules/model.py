"""Model rules: features and target, training data, hyperparameters per algorithm."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path

from fraudspec.spec.rules import Context, Issue, Rule

# The estimators' constructor parameters (scikit-learn >= 1.3); checked against the installed
# scikit-learn by tests/spec/test_rules_registry.py so the validator never has to import it.
HYPERPARAMETERS: dict[str, frozenset[str]] = {
    "random_forest": frozenset({
        "n_estimators", "criterion", "max_depth", "min_samples_split", "min_samples_leaf",
        "min_weight_fraction_leaf", "max_features", "max_leaf_nodes", "min_impurity_decrease", "bootstrap",
        "oob_score", "n_jobs", "random_state", "verbose", "warm_start", "class_weight", "ccp_alpha",
        "max_samples", "monotonic_cst"}),
    "gradient_boosting": frozenset({
        "loss", "learning_rate", "max_iter", "max_leaf_nodes", "max_depth", "min_samples_leaf",
        "l2_regularization", "max_features", "max_bins", "categorical_features", "monotonic_cst",
        "interaction_cst", "warm_start", "early_stopping", "scoring", "validation_fraction",
        "n_iter_no_change", "tol", "verbose", "random_state", "class_weight"}),
    "logistic_regression": frozenset({
        "penalty", "dual", "tol", "C", "fit_intercept", "intercept_scaling", "class_weight", "random_state",
        "solver", "max_iter", "verbose", "warm_start", "n_jobs", "l1_ratio"}),
}


def _features_and_target(ctx: Context) -> Iterable[Issue]:
    model = ctx.data["model"]
    seen: set[str] = set()
    for index, feature in enumerate(model["features"]):
        name = feature["name"]
        if name in seen:
            yield Issue(("model", "features", index, "name"), f"feature '{name}' is declared twice",
                        "remove the second declaration")
        seen.add(name)
        if name == model["target"]:
            yield Issue(("model", "features", index, "name"), f"the target '{name}' is also declared as a feature",
                        "remove it from features: the label must not be a model input")


def _csv_exists(ctx: Context) -> Iterable[Issue]:
    csv = ctx.data["model"]["data"].get("csv")
    if csv is not None and not (ctx.spec_dir / Path(csv)).is_file():
        yield Issue(("model", "data", "csv"), f"training data '{csv}' does not exist "
                    f"(looked in {ctx.spec_dir / Path(csv)})",
                    "give a CSV path relative to the spec file, or use `synthetic: {rows: 20000, seed: 7}`")


def _known_hyperparameters(ctx: Context) -> Iterable[Issue]:
    model = ctx.data["model"]
    algorithm = model["algorithm"]
    allowed = HYPERPARAMETERS[algorithm]
    for name in model["hyperparameters"]:
        if name not in allowed:
            close = difflib.get_close_matches(name, sorted(allowed), n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"{algorithm} takes: {', '.join(sorted(allowed))}"
            yield Issue(("model", "hyperparameters", name), f"'{name}' is not a {algorithm} hyperparameter", hint)


# Hyperparameters that size the training run: beyond these a build runs for hours or exhausts memory
# (scikit-learn accepts any integer). max_bins is HistGradientBoosting's own limit.
SIZE_BOUNDS: dict[str, tuple[int, int]] = {
    "n_estimators": (1, 5000), "max_iter": (1, 100_000), "max_depth": (1, 1000), "max_leaf_nodes": (2, 100_000),
    "max_bins": (2, 255), "min_samples_split": (2, 1_000_000), "min_samples_leaf": (1, 1_000_000),
}


def _bounded_hyperparameters(ctx: Context) -> Iterable[Issue]:
    for name, value in ctx.data["model"]["hyperparameters"].items():
        if name not in SIZE_BOUNDS or isinstance(value, bool) or not isinstance(value, (int, float)):
            continue  # None (no limit) and the algorithm's own choices pass through
        low, high = SIZE_BOUNDS[name]
        if not (isinstance(value, int) or float(value).is_integer()) or not low <= value <= high:
            yield Issue(("model", "hyperparameters", name), f"{name} {value} is not a whole number in {low}..{high}",
                        f"use {low}..{high}: a larger training run than that is a typo, not a model")


RULES = (
    Rule("FS601", "a CSV training data path exists", _csv_exists),
    Rule("FS602", "features are unique and do not include the target", _features_and_target),
    Rule("FS603", "hyperparameters are known to the algorithm", _known_hyperparameters),
    Rule("FS604", "hyperparameters that size training (trees, iterations, depth, leaves, bins) are bounded",
         _bounded_hyperparameters),
)
