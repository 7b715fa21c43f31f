"""Cost-aware hints: a choice far costlier than an equivalent one, as a warning with the saving.

Warnings, never errors: the spec stays valid. Each is registered in spec/rules/cost.py (FS91x), so
its id is unique and documented with the rules. "Equivalent" is measured, not guessed:

- FS911: a monitoring window holds fewer rows than the KS test needs to see a distance of the
  smallest drift threshold at 95 % confidence (1.36 / sqrt(n) <= threshold). Runs on such windows
  cost money and cannot detect the drift the spec asks for; a longer window can.
- FS912: a model-quality window holds fewer predictions than min_labels, so every run reports
  InsufficientData until the window is longer.
- FS913: capture keeps 100 % of requests where a sample would still give every window the rows
  (and labels) its checks need.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterator
from pathlib import Path

from fraudspec.core.errors import Finding, FraudspecError, Location
from fraudspec.cost.estimate import estimate
from fraudspec.cost.report import money
from fraudspec.spec import schedule
from fraudspec.spec.load import load_environments
from fraudspec.spec.merge import effective_source
from fraudspec.spec.model import Schedule, Spec, Variant
from fraudspec.spec.schedule import window_seconds
from fraudspec.spec.yaml_source import read_source

KS_95 = 1.36  # the two-sample KS critical value at 95 %, times sqrt(n) for a large baseline
LONGER = ("every 2 hours", "every 3 hours", "every 6 hours", "every 12 hours", "daily")
SAMPLES = (1, 5, 10, 25, 50)


def rows_needed(spec: Spec) -> int:
    """Rows a window needs before the KS test can see a distance of the smallest drift threshold."""
    drift = spec.monitoring.drift
    smallest = min([drift.threshold, *drift.features.values(),
                    *([drift.categorical_threshold] if drift.categorical_threshold is not None else [])])
    return math.ceil((KS_95 / smallest) ** 2) if smallest > 0 else 0


def rows_a_window(spec: Spec, chosen: Schedule, sampling_percent: int | None = None) -> float:
    """The captured rows a window gives the variant that sees fewest (each variant is monitored on its
    own requests: an A/B challenger's or a shadow's share; the champion's all without challengers)."""
    percent = spec.capture.sampling_percent if sampling_percent is None else sampling_percent
    share = _fewest(spec).weight
    return spec.expected_traffic.requests_per_day * share * percent / 100 * window_seconds(chosen) / 86400


def _fewest(spec: Spec) -> Variant:
    return min(spec.endpoint.variants, key=lambda variant: variant.weight)


def _whose(spec: Spec) -> str:
    """Whose rows a message counts, when a challenger's share is smaller than the whole."""
    variant = _fewest(spec)
    return "" if variant.weight == 1 else f" for variant {variant.name} ({variant.weight * 100:g} % of requests)"


Locate = Callable[[tuple], Location]


def hints(spec: Spec, locate: Locate | None = None) -> list[Finding]:
    """The cost warnings of an aws environment (a local one costs nothing), each located by `locate`
    (a key path of the effective spec -> where it is written), else at the spec file."""
    if spec.environment.target != "aws" or not spec.monitoring.enabled:
        return []
    file = Location(spec.path.relative_to(spec.root).as_posix())
    found = [Finding(rule, message, locate(key) if locate else file, hint, "warning")
             for rule, key, message, hint in _hints(spec)]
    return sorted(found, key=Finding.sort_key)


def spec_warnings(path: Path, env: str | None) -> list[Finding]:
    """The cost warnings of every aws environment of a valid spec (or of `env`), for `fraudspec validate`."""
    specs = load_environments(path, None if env is None else [env])
    source = read_source(path)
    found = []
    for name, spec in specs.items():
        try:
            found += hints(spec, effective_source(source, name).locate)
        except FraudspecError:
            continue  # an environment the price table cannot price has no hints; `fraudspec cost` says why
    return found


Hint = tuple[str, tuple, str, str]  # rule, key path, message, hint


def _hints(spec: Spec) -> Iterator[Hint]:
    monitoring = spec.monitoring
    current = estimate(spec).total
    needed = rows_needed(spec)
    rows = rows_a_window(spec, monitoring.schedule)
    if rows < needed:
        better = _longer(spec, monitoring.schedule, needed)
        cheaper = dataclasses.replace(spec, monitoring=dataclasses.replace(monitoring, schedule=better))
        saving = current - estimate(cheaper).total
        if saving > 0:
            yield ("FS911", ("monitoring", "schedule"),
                   f"{spec.environment.name}: monitoring.schedule '{monitoring.schedule.source}' analyses about "
                   f"{rows:,.0f} rows a run{_whose(spec)}, fewer than the {needed:,} a drift of "
                   f"{needed and KS_95 / math.sqrt(needed):.2f} needs to be seen",
                   f"schedule: {better.source} gives {rows_a_window(spec, better):,.0f} rows a run "
                   f"and saves {money(saving)} a month")
    quality = monitoring.model_quality
    if quality is not None and rows_a_window(spec, quality.schedule) < quality.min_labels:
        better = _longer(spec, quality.schedule, quality.min_labels)
        cheaper = dataclasses.replace(spec, monitoring=dataclasses.replace(
            monitoring, model_quality=dataclasses.replace(quality, schedule=better)))
        saving = current - estimate(cheaper).total
        if saving > 0:
            yield ("FS912", ("monitoring", "model_quality", "schedule"),
                   f"{spec.environment.name}: model_quality.schedule '{quality.schedule.source}' sees about "
                   f"{rows_a_window(spec, quality.schedule):,.0f} predictions a run{_whose(spec)}, fewer than "
                   "min_labels "
                   f"{quality.min_labels}: every run reports InsufficientData",
                   f"schedule: {better.source} saves {money(saving)} a month")
    yield from _sampling(spec, current, max(needed, quality.min_labels if quality else 0))


def _sampling(spec: Spec, current: float, needed: int) -> Iterator[Hint]:
    if spec.capture.sampling_percent != 100:
        return
    windows = [spec.monitoring.schedule, *([spec.monitoring.model_quality.schedule]
                                           if spec.monitoring.model_quality else [])]
    for percent in SAMPLES:
        if all(rows_a_window(spec, window, percent) >= needed for window in windows):
            cheaper = dataclasses.replace(spec, capture=dataclasses.replace(spec.capture, sampling_percent=percent))
            saving = current - estimate(cheaper).total
            if saving >= 1:  # "far costlier": at least a dollar a month, not rounding noise
                yield ("FS913", ("capture", "sampling_percent"),
                       f"{spec.environment.name}: capture.sampling_percent 100 keeps every request, while "
                       f"{percent} % still gives each window the {needed:,} rows its checks need{_whose(spec)}",
                       f"sampling_percent: {percent} saves {money(saving)} a month")
            return


def _longer(spec: Spec, current: Schedule, needed: float) -> Schedule:
    """The first longer standard schedule whose window holds `needed` rows, else daily."""
    shortest = window_seconds(current)
    for source in LONGER:
        candidate = schedule.translate(source, current.timezone)
        if window_seconds(candidate) > shortest and rows_a_window(spec, candidate) >= needed:
            return candidate
    return schedule.translate(LONGER[-1], current.timezone)

