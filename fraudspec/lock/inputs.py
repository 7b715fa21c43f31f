"""Which parts of the effective spec each artifact is built from, and their digests.

An artifact is stale when the digest of its parts differs from the one recorded when it was
locked; every other field (endpoint, capture, alarms, schedules, environment settings) can change
without touching it. The parts:

    model            what the model is built from (fraudspec.spec.inputs.model_inputs, which the
                     build cache key hashes too): the `model` section but `gate`, data by content
    statistics       the training split it profiles: model features, target, data,
                     validation_fraction and split_seed
    constraints      the statistics' parts plus the monitoring fields that customize the suggested
                     constraints (fraudspec.monitoring.engine.constraints.customize): drift, completeness,
                     data_type_threshold, domain_threshold, emit_metrics
    monitor_lambda   none: it is fraudspec's own monitoring code (`apply` checks it against the
    monitor_glue     code that runs it), for the Lambda or for AWS Glue

Library versions and fraudspec's build code are not spec fields: they rebuild through the build
cache (fraudspec.artifact.pipeline.cache_key) on the next `fraudspec build`, which re-locks.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fraudspec.lock.layout import Kind
from fraudspec.spec.inputs import model_inputs
from fraudspec.spec.model import Spec
from fraudspec.spec.plain import to_plain

DATA_FIELDS = ("features", "target", "data", "validation_fraction", "split_seed")
MONITORING_FIELDS = ("drift", "completeness", "data_type_threshold", "domain_threshold", "emit_metrics")
Digests = Mapping[Kind, str | None]  # per artifact kind, the digest of its spec parts (None: no spec part)


@dataclass(frozen=True)
class SpecInputs:
    """A spec's parts per artifact kind, and their digests: computed once, passed to whoever needs them."""

    parts: Mapping[Kind, Any]  # the plain spec data each kind is built from (None: no spec part)
    digests: Digests


def spec_inputs(spec: Spec) -> SpecInputs:
    model = model_inputs(spec.model)
    data = {name: model[name] for name in DATA_FIELDS}
    monitoring = {name: to_plain(getattr(spec.monitoring, name)) for name in MONITORING_FIELDS}
    parts: dict[Kind, Any] = {"model": model, "statistics": data,
                              "constraints": {"data": data, "monitoring": monitoring}, "monitor_lambda": None,
                              "monitor_glue": None}
    return SpecInputs(parts, {kind: None if part is None else _digest(part) for kind, part in parts.items()})


def spec_parts(spec: Spec) -> Mapping[Kind, Any]:
    return spec_inputs(spec).parts


def spec_digests(spec: Spec) -> Digests:
    return spec_inputs(spec).digests


def _digest(part: Any) -> str:
    return hashlib.sha256(json.dumps(part, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
