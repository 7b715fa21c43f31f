"""Which parts of the effective spec each artifact is built from.

An artifact is stale when the digest of its parts differs from the one recorded when it was
locked; every other field (endpoint, capture, alarms, schedules, environment settings) can change
without touching it. The parts:

    model            the whole `model` section except `gate` (the gate judges an artifact, it does
                     not shape it); a CSV is represented by the sha256 of its content, not its path
    statistics       the training split it profiles: model features, target, data,
                     validation_fraction and split_seed
    constraints      the statistics' parts plus the monitoring fields that customize the suggested
                     constraints (fraudspec.monitoring.engine.constraints.customize): drift, completeness,
                     data_type_threshold, domain_threshold, emit_metrics
    monitor_lambda   none: it is fraudspec's own monitoring code (`apply` checks it against the
                     code that runs it)

Library versions and fraudspec's build code are not spec fields: they rebuild through the build
cache (fraudspec.artifact.pipeline.cache_key) on the next `fraudspec build`, which re-locks.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from typing import Any

from fraudspec.core.errors import FraudspecError, Location
from fraudspec.lock.layout import Kind
from fraudspec.spec.model import CsvData, Spec
from fraudspec.spec.plain import to_plain

DATA_FIELDS = ("features", "target", "data", "validation_fraction", "split_seed")
MONITORING_FIELDS = ("drift", "completeness", "data_type_threshold", "domain_threshold", "emit_metrics")


def spec_parts(spec: Spec) -> dict[Kind, Any]:
    """Per artifact kind, the plain spec data it is built from (None: no spec part)."""
    model = to_plain(spec.model)
    del model["gate"]
    model["data"] = _data(spec)
    data = {name: model[name] for name in DATA_FIELDS}
    monitoring = {name: to_plain(getattr(spec.monitoring, name)) for name in MONITORING_FIELDS}
    return {"model": model, "statistics": data, "constraints": {"data": data, "monitoring": monitoring},
            "monitor_lambda": None}


def spec_digests(spec: Spec) -> dict[Kind, str | None]:
    return {kind: None if part is None else _digest(part) for kind, part in spec_parts(spec).items()}


def _data(spec: Spec) -> dict[str, Any]:
    data = spec.model.data
    if not isinstance(data, CsvData):
        return {"synthetic": asdict(data)}
    try:
        return {"csv_sha256": hashlib.sha256(data.path.read_bytes()).hexdigest()}
    except OSError as error:
        raise FraudspecError(f"cannot read training data {data.path}: {error.strerror}",
                             location=Location(str(data.path)), hint="fix model.data.csv in the spec") from None


def _digest(part: Any) -> str:
    return hashlib.sha256(json.dumps(part, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
