"""The one policy for the JSON files fraudspec writes (documents and JSON Lines), and reading them back.

Documents are indented by two spaces and end with a newline; keys keep the order the writer built
them in (Model Monitor's files) unless the writer asks for sorted keys (state files). Floats are
written by repr, so the same content gives the same bytes on every run. Non-finite floats, which
JSON cannot carry, become null. Rendered Terraform has its own format (fraudspec.render.document).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fraudspec.core.errors import FraudspecError, Location


def dumps(document: Any, *, sort_keys: bool = False) -> bytes:
    """A JSON document file's bytes."""
    text = json.dumps(_finite(document), indent=2, ensure_ascii=False, allow_nan=False, sort_keys=sort_keys)
    return (text + "\n").encode()


def line(record: Any) -> str:
    """One JSON Lines record, newline included, keys sorted."""
    return json.dumps(_finite(record), ensure_ascii=False, allow_nan=False, sort_keys=True) + "\n"


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value


def load(path: Path, what: str, hint: str) -> Any:
    """A JSON file, or FraudspecError naming `what` it should have been and how to get one."""
    try:
        return json.loads(path.read_bytes())
    except FileNotFoundError:
        raise FraudspecError(f"{what} not found", location=Location(str(path)), hint=hint) from None
    except (ValueError, UnicodeDecodeError) as error:
        raise FraudspecError(f"{what} is not valid JSON: {error}", location=Location(str(path)), hint=hint) from None


class DocumentError(ValueError):
    """A monitoring document has the wrong shape; the caller adds the file and turns it into FraudspecError."""


def get(document: Any, key: str, kind: type | tuple[type, ...], where: str, default: Any = ...) -> Any:
    """document[key] checked against `kind` (bool is never accepted as a number)."""
    if not isinstance(document, Mapping):
        raise DocumentError(f"{where} must be an object")
    if key not in document:
        if default is ...:
            raise DocumentError(f"{where}.{key} is missing")
        return default
    value = document[key]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if (isinstance(value, bool) and bool not in kinds) or not isinstance(value, kinds):
        names = " or ".join(k.__name__ for k in kinds)
        raise DocumentError(f"{where}.{key} must be {names}, not {json.dumps(value)[:60]}")
    return value
