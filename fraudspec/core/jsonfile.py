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
from json.encoder import encode_basestring as _string
from pathlib import Path
from typing import Any

from fraudspec.core.errors import FraudspecError, Location


def dumps(document: Any, *, sort_keys: bool = False) -> bytes:
    """A JSON document file's bytes: exactly json.dumps(indent=2, ensure_ascii=False) of the finite
    document, written by `_indented`, because json's C encoder does not indent and its Python one
    takes most of a monitoring execution's time on a statistics file's sketches."""
    return (_indented(document, "\n", sort_keys) + "\n").encode()


def _indented(value: Any, newline: str, sort_keys: bool) -> str:
    """`value` as json.dumps(indent=2) writes it, `newline` being the line break plus the current indent."""
    if isinstance(value, str):
        return _string(value)
    if value is None or value is True or value is False:
        return "null" if value is None else "true" if value else "false"
    if isinstance(value, float):
        return float.__repr__(value) if math.isfinite(value) else "null"
    if isinstance(value, int):
        return int.__repr__(value)
    inner = newline + "  "
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        if not all(isinstance(key, str) for key in value):  # json's coercion of other keys: leave it to json
            return json.dumps(_finite(value), indent=2, ensure_ascii=False, allow_nan=False,
                              sort_keys=sort_keys).replace("\n", newline)
        items = sorted(value.items()) if sort_keys else value.items()
        body = ("," + inner).join(f"{_string(key)}: {_indented(item, inner, sort_keys)}" for key, item in items)
        return "{" + inner + body + newline + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        if all(type(item) is float for item in value):  # a sketch's levels: the common, long case
            body = ("," + inner).join(float.__repr__(x) if math.isfinite(x) else "null" for x in value)
        else:
            body = ("," + inner).join(_indented(item, inner, sort_keys) for item in value)
        return "[" + inner + body + newline + "]"
    return json.dumps(value)  # what json cannot write raises its TypeError


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
    except RecursionError:  # nesting deeper than the interpreter's recursion limit: never a file fraudspec wrote
        raise FraudspecError(f"{what} is not valid JSON: nested too deeply", location=Location(str(path)),
                             hint=hint) from None


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
