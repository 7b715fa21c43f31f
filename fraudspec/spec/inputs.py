"""What a model artifact is built from: the fields of the `model` section that shape it, as plain data.

The build cache key (fraudspec.artifact.pipeline.cache_key) and the lock's digests
(fraudspec.lock.inputs) both hash this one value, so a model field changes both or neither.
Every field counts but `gate`, which judges a model and does not shape it; training data counts by
content: a CSV by the sha256 of its bytes (never its path), the generator by its settings.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict
from typing import Any

from fraudspec.core.errors import FraudspecError, Location
from fraudspec.spec.model import CsvData, ModelSpec, SyntheticData
from fraudspec.spec.plain import to_plain

NOT_SHAPING = ("gate",)


def model_inputs(model: ModelSpec) -> dict[str, Any]:
    inputs = to_plain(model)
    for name in NOT_SHAPING:
        del inputs[name]
    inputs["data"] = training_data(model.data)
    return inputs


def training_data(data: SyntheticData | CsvData) -> dict[str, Any]:
    if isinstance(data, SyntheticData):
        return {"synthetic": asdict(data)}
    try:
        return {"csv_sha256": hashlib.sha256(data.path.read_bytes()).hexdigest()}
    except OSError as error:
        raise FraudspecError(f"cannot read training data {data.path}: {error.strerror}",
                             location=Location(str(data.path)), hint="fix model.data.csv in the spec") from None
