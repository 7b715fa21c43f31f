"""The effective document of an environment: the base deep-merged with its `overrides`.

Mappings merge key by key; lists, scalars and nulls replace. Null means "none" everywhere in a
spec (a disabled alarm, no serverless config), so an environment can switch endpoint kinds with
`endpoint: {serverless: null, realtime: {...}}`. Locations follow the
data: a value that came from an override is located where the override wrote it.
"""

from __future__ import annotations

from typing import Any

from fraudspec.spec.yaml_source import Source

ENVIRONMENTS = "environments"
OVERRIDES = "overrides"


def effective_source(source: Source, env: str) -> Source:
    base = source.data
    overrides = (base.get(ENVIRONMENTS) or {}).get(env, {}) or {}
    overrides = overrides.get(OVERRIDES) or {} if isinstance(overrides, dict) else {}
    prefix = (ENVIRONMENTS, env, OVERRIDES)
    locations = dict(source.locations)
    for path, location in source.locations.items():
        if path[: len(prefix)] == prefix and len(path) > len(prefix):
            locations[path[len(prefix):]] = location
    return Source(source.file, deep_merge(base, overrides), locations)


def deep_merge(base: Any, override: Any) -> Any:
    if not (isinstance(base, dict) and isinstance(override, dict)):
        return override
    merged = dict(base)
    for key, value in override.items():
        if key in merged:
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged
