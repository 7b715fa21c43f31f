"""Defaults, filled into an effective document from schema.json before rules run.

schema.json is the one place a default is written: the rules and the parser read a document in
which every defaulted key is present, so neither carries fallbacks of its own. A section whose
absence means "empty" (capture, monitoring, tags, ...) defaults to `{}` and is filled in turn;
null is a value (a disabled alarm, no serverless config) and is never replaced. Filled keys were
written nowhere, so a finding about one is located at its nearest written ancestor.
"""

from __future__ import annotations

import copy
from typing import Any

from fraudspec.spec.schema import document_schema, resolve
from fraudspec.spec.yaml_source import Source


def with_defaults(source: Source) -> Source:
    """`source` (valid against the schema) with every absent defaulted key filled in; the input is not changed."""
    return Source(source.file, _filled(source.data, document_schema()), source.locations)


def _filled(value: Any, node: Any) -> Any:
    node = resolve(node)
    if isinstance(value, list):
        return [_filled(item, node.get("items")) for item in value]
    if not isinstance(value, dict):
        return value
    properties = node.get("properties", {})
    extra = node.get("additionalProperties")
    filled = {key: _filled(item, properties.get(key, extra)) for key, item in value.items()}
    for key, child in properties.items():
        child = resolve(child)
        if key not in filled and "default" in child:
            filled[key] = _filled(copy.deepcopy(child["default"]), child)
    return filled
