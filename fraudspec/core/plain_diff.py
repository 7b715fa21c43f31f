"""Two versions of nested plain data compared field by field: (dotted path, before, after)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


class _Absent:
    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()  # a field one version does not have (unlike None, a value meaning "none")


def differences(before: Any, after: Any, *, by_name: bool = False, json_strings: bool = False,
                path: str = "") -> list[tuple[str, Any, Any]]:
    """Every field whose value differs, in `after`'s order, fields only `before` has last.

    Mappings are compared key by key and lists of mappings item by item (`a.b[0].c`); anything
    else, or a mapping against a non-mapping (a section against `none`), is one field.
    by_name: lists of mappings that all have a "name" are keyed by it (`model.features.amount`),
    so inserting one does not renumber the rest. json_strings: a string holding a JSON object is
    compared as that object (a dashboard body).
    """
    if json_strings:
        before, after = _parsed(before), _parsed(after)
    old, old_indexed = _keyed(before, by_name)
    new, new_indexed = _keyed(after, by_name)
    if not (isinstance(old, Mapping) and isinstance(new, Mapping)):
        return [] if before == after else [(path, before, after)]
    indexed = old_indexed or new_indexed
    found = []
    for key in [*new, *(key for key in old if key not in new)]:
        child = f"{path}[{key}]" if indexed else f"{path}.{key}" if path else str(key)
        found += differences(old.get(key, ABSENT), new.get(key, ABSENT), by_name=by_name,
                             json_strings=json_strings, path=child)
    return found


def _parsed(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("{"):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _keyed(value: Any, by_name: bool) -> tuple[Any, bool]:
    """A list of mappings as a mapping, by name or by index (then True); anything else as it is."""
    if isinstance(value, list) and value and all(isinstance(item, Mapping) for item in value):
        if by_name and all("name" in item for item in value):
            return {str(item["name"]): {k: v for k, v in item.items() if k != "name"} for item in value}, False
        return {str(index): item for index, item in enumerate(value)}, True
    return value, False


def show(value: Any) -> str:
    """A value as a reviewer reads it: `none`, `true`, `0.05`, `{memory_mb: 2048}`, `a, b`."""
    if value is ABSENT:
        return "(absent)"
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        shown = {key: item for key, item in value.items() if item is not None}
        if len(shown) == 1 and not isinstance(next(iter(shown.values())), Mapping):
            return show(next(iter(shown.values())))
        return "{" + ", ".join(f"{key}: {show(item)}" for key, item in shown.items()) + "}"
    if isinstance(value, (list, tuple)):
        return ", ".join(show(item) for item in value) if value else "[]"
    return str(value)
