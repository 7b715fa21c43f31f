"""A `Spec` as plain JSON-ready data: for `fraudspec show` and for digests of what was deployed."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fraudspec.spec.model import CsvData, Spec, SyntheticData


def to_plain(value: Any) -> Any:
    # Training data is written `{csv: PATH}` or `{synthetic: {...}}` in a spec; show it the same way.
    if isinstance(value, CsvData):
        return {"csv": str(value.path)}
    if isinstance(value, SyntheticData):
        return {"synthetic": dataclasses.asdict(value)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: to_plain(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(key): to_plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(item) for item in value]
    if isinstance(value, Path):
        return str(value)
    return value


def spec_digest(spec: Spec) -> str:
    """sha256 of the effective spec, independent of where the repository lives."""
    plain = to_plain(spec)
    plain.pop("path")
    return hashlib.sha256(json.dumps(plain, sort_keys=True).encode()).hexdigest()
