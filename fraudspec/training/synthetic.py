"""Synthetic card transactions, deterministic by seed, and drifted traffic for tests and demos.

Each feature's distribution follows from its type and name (the "family"):
    count           numeric, name has "count"/"cnt" or starts "n_"/"num_": Poisson, lambda 1.5;
                    fraud lambda 5 (velocity)
    typical_amount  numeric, name has "avg"/"mean"/"median": log-normal, median ~40, the same
                    for fraud (the customer's history carries no fraud signal)
    amount          numeric, name has "amount"/"amt"/"value"/"price"/"spend"/"total"/"sum":
                    log-normal, median ~33; fraud median ~110; rounded to cents
    score           any other numeric name: normal(0, 1); fraud normal(0.7, 1)
    categorical     a small fixed vocabulary (countries, channels, else "a".."e"), Zipf-like
                    frequencies; fraud favours the rarer values
Labels: exactly round(rows * fraud_rate) fraud rows at seeded positions. One fraud row in twenty
looks legitimate in every feature, so no model separates the classes perfectly.

Every feature draws from its own stream, seeded by (seed, feature name): adding or reordering
features leaves the other columns unchanged.

Drift (`parse_drift`): comma-separated `feature=change` items, applied to generated data:
    amount=x3           scale by 3          amount=+5 / amount=-5   shift
    txn_count_1h=+20@5% a burst: shift (or scale) only a seeded 5% of rows
    amount=missing:10%  10% of values become missing
    merchant_country=unseen:20%   20% of values become categories never seen in training
Fractions are written 0.05 or 5%. Several items may name the same feature.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from fraudspec.core.errors import FraudspecError
from fraudspec.spec.model import Feature, frozen_map
from fraudspec.training.dataset import Dataset

STEALTHY_FRAUD = 0.05  # share of fraud rows drawn from the legitimate distributions
COUNTRIES = ("SG", "MY", "ID", "TH", "PH", "VN", "US", "GB")
CHANNELS = ("app", "web", "pos", "atm")
GENERIC_CATEGORIES = ("a", "b", "c", "d", "e")
DRIFT_GRAMMAR = "feature=x3 | feature=+5 | feature=-5 | feature=+20@5% | feature=missing:10% | feature=unseen:20%"

RULE = "FS705"  # a drift description that cannot be read or applied
_LABELS, _FEATURE, _DRIFT = 1, 2, 3  # stream tags, so label and feature streams never coincide


def family(feature: Feature) -> str:
    name = feature.name.lower()
    if feature.type == "categorical":
        return "categorical"
    if "count" in name or "cnt" in name or name.startswith(("n_", "num_")):
        return "count"
    if any(word in name for word in ("avg", "mean", "median")):
        return "typical_amount"
    if any(word in name for word in ("amount", "amt", "value", "price", "spend", "total", "sum")):
        return "amount"
    return "score"


def vocabulary(feature: Feature) -> tuple[str, ...]:
    name = feature.name.lower()
    if "country" in name:
        return COUNTRIES
    if "channel" in name:
        return CHANNELS
    return GENERIC_CATEGORIES


def _stream(seed: int, tag: int, name: str = "") -> np.random.Generator:
    return np.random.default_rng([seed, tag, zlib.crc32(name.encode("utf-8"))])


def _as_features(features: Sequence[Feature | str]) -> tuple[Feature, ...]:
    return tuple(f if isinstance(f, Feature) else Feature(f) for f in features)


def generate(
    features: Sequence[Feature | str], rows: int, seed: int, fraud_rate: float = 0.02, *, target: str = "is_fraud"
) -> Dataset:
    """`rows` labelled transactions; plain names are numeric features."""
    features = _as_features(features)
    if rows < 1 or not 0 < fraud_rate < 1:
        raise ValueError(f"need rows >= 1 and 0 < fraud_rate < 1, got rows={rows} fraud_rate={fraud_rate}")
    rng = _stream(seed, _LABELS)
    y = np.zeros(rows, dtype=np.int64)
    fraud = rng.permutation(rows)[: round(rows * fraud_rate)]
    y[fraud] = 1
    signal = y.astype(bool) & (rng.random(rows) >= STEALTHY_FRAUD)
    columns = {f.name: _column(f, signal, _stream(seed, _FEATURE, f.name)) for f in features}
    return Dataset.from_columns(features, target, columns, y)


def _column(feature: Feature, signal: np.ndarray, rng: np.random.Generator) -> np.ndarray | list:
    n = len(signal)
    kind = family(feature)
    if kind == "categorical":
        values = vocabulary(feature)
        legit = 1.0 / np.arange(1, len(values) + 1)
        weights = np.where(signal[:, None], legit[::-1], legit)
        cumulative = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)
        picks = (rng.random(n)[:, None] > cumulative).sum(axis=1).clip(max=len(values) - 1)
        return [values[i] for i in picks]
    if kind == "count":
        return np.where(signal, rng.poisson(5.0, n), rng.poisson(1.5, n)).astype(np.float64)
    if kind == "typical_amount":
        return np.round(rng.lognormal(3.7, 0.6, n), 2)
    if kind == "amount":
        return np.round(np.where(signal, rng.lognormal(4.7, 1.0, n), rng.lognormal(3.5, 1.0, n)), 2)
    return np.round(np.where(signal, rng.normal(0.7, 1.0, n), rng.normal(0.0, 1.0, n)), 4)


@dataclass(frozen=True)
class FeatureDrift:
    scale: float = 1.0
    shift: float = 0.0
    rows: float = 1.0  # the share of rows that scale and shift apply to; below 1: bursts
    missing: float = 0.0  # the share of values replaced by missing values
    unseen: float = 0.0  # the share of categorical values replaced by never-seen categories


@dataclass(frozen=True)
class Drift:
    features: Mapping[str, FeatureDrift] = field(default_factory=frozen_map)


_ITEM = re.compile(
    r"^(?P<name>[^=\s]+)=(?:"
    r"(?P<op>[x*+-])(?P<number>\d+(?:\.\d*)?|\.\d+)(?:@(?P<rows>[\d.]+%?))?"
    r"|(?P<kind>missing|unseen):(?P<share>[\d.]+%?))$"
)


def parse_drift(text: str) -> Drift:
    """Parse "amount=x3,txn_count_1h=+5" (see the module docstring for the grammar)."""
    changes: dict[str, FeatureDrift] = {}
    for item in (part.strip() for part in text.split(",")):
        match = _ITEM.match(item)
        if match is None:
            raise FraudspecError(f"cannot read drift {item!r}", rule=RULE, hint=f"write items like {DRIFT_GRAMMAR}")
        name = match["name"]
        current = changes.get(name, FeatureDrift())
        if match["op"]:
            number = float(match["number"])
            rows = _share(match["rows"], item) if match["rows"] else current.rows
            if match["op"] in "x*":
                current = replace(current, scale=current.scale * number, rows=rows)
            else:
                current = replace(current, shift=current.shift + (number if match["op"] == "+" else -number), rows=rows)
        else:
            current = replace(current, **{match["kind"]: _share(match["share"], item)})
        changes[name] = current
    return Drift(frozen_map(changes))


def _share(text: str, item: str) -> float:
    try:
        value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        raise FraudspecError(f"drift {item!r}: {text!r} is not a share of rows", rule=RULE, hint="write 0.05 or 5%")
    return value


def apply_drift(dataset: Dataset, drift: Drift, seed: int) -> Dataset:
    """A copy of `dataset` with `drift` applied; each feature's changes use their own seeded stream."""
    unknown = sorted(set(drift.features) - set(dataset.feature_names))
    if unknown:
        raise FraudspecError(f"drift names unknown feature(s) {', '.join(unknown)}", rule=RULE,
                             hint=f"the features are {', '.join(dataset.feature_names)}")
    X = dataset.X.copy()
    categories = dict(dataset.categories)
    for j, feature in enumerate(dataset.features):
        change = drift.features.get(feature.name)
        if change is None:
            continue
        rng = _stream(seed, _DRIFT, feature.name)
        n = len(dataset)
        moved = rng.random(n) < change.rows
        drops = rng.random(n) < change.missing
        novel = rng.random(n) < change.unseen
        if feature.type == "categorical":
            if (change.scale, change.shift) != (1.0, 0.0):
                raise FraudspecError(f"drift cannot scale or shift categorical feature {feature.name}", rule=RULE,
                                     hint="use unseen:P or missing:P for categorical features")
            if change.unseen:
                new = tuple(f"{feature.name}_new_{k}" for k in (1, 2, 3))
                first = len(categories[feature.name])
                categories[feature.name] = categories[feature.name] + new
                X[novel, j] = first + rng.integers(0, len(new), int(novel.sum()))
        else:
            if change.unseen:
                raise FraudspecError(f"drift unseen:P applies to categorical features; {feature.name} is numeric",
                                     rule=RULE,
                                     hint="scale or shift numeric features")
            X[moved, j] = _tidy(feature, X[moved, j] * change.scale + change.shift)
        X[drops, j] = np.nan
    return Dataset(dataset.features, dataset.target, X, dataset.y.copy(), frozen_map(categories))


def _tidy(feature: Feature, values: np.ndarray) -> np.ndarray:
    """Keep drifted values plausible for their family: counts whole and non-negative, amounts in cents."""
    kind = family(feature)
    if kind == "count":
        return np.maximum(np.rint(values), 0.0)
    if kind in ("amount", "typical_amount"):
        return np.round(values, 2)
    return values


def generate_drifted(
    features: Sequence[Feature | str],
    rows: int,
    seed: int,
    drift: Drift | str,
    fraud_rate: float = 0.02,
    *,
    target: str = "is_fraud",
) -> Dataset:
    """`generate(...)` then `apply_drift`; `drift` may be a Drift or its text form."""
    parsed = parse_drift(drift) if isinstance(drift, str) else drift
    return apply_drift(generate(features, rows, seed, fraud_rate, target=target), parsed, seed)
