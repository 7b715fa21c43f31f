"""Checks rendered Terraform JSON against the provider schema snapshot (fixtures/).

Catches what `terraform validate` would, without terraform: unknown or computed-only arguments,
blocks written as attributes (or the reverse), missing required arguments and blocks, item
counts, literal types, and deprecated arguments.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

SNAPSHOT = Path(__file__).parent / "fixtures" / "aws-provider-schema.json"
META_ARGUMENTS = {"depends_on", "lifecycle", "count", "for_each", "provider"}
_INTERPOLATION = re.compile(r"(?<!\$)\$\{")


def load_snapshot() -> dict[str, Any]:
    return json.loads(SNAPSHOT.read_text())


def problems(document: dict[str, Any], snapshot: dict[str, Any]) -> list[str]:
    found = []
    for section, schemas in (("resource", "resource_schemas"), ("data", "data_source_schemas")):
        for kind, named in document.get(section, {}).items():
            schema = snapshot[schemas].get(kind)
            if schema is None:
                found.append(f"{section} type {kind} is not in the snapshot: add it to schema_snapshot.py")
                continue
            for name, body in named.items():
                found += _block(body, schema, f"{kind}.{name}", meta=True)
    return found


def _block(body: Any, block: dict[str, Any], where: str, meta: bool = False) -> list[str]:
    if not isinstance(body, dict):
        return [f"{where}: expected an object, got {type(body).__name__}"]
    found = []
    attributes, blocks = block["attributes"], block["block_types"]
    for key, value in body.items():
        path = f"{where}.{key}"
        if key == "//" or (meta and key in META_ARGUMENTS):
            continue
        if key in attributes:
            attribute = attributes[key]
            if not (attribute.get("required") or attribute.get("optional")):
                found.append(f"{path}: computed-only, cannot be set")
            if attribute.get("deprecated"):
                found.append(f"{path}: deprecated")
            found += _typed(value, attribute["type"], path)
        elif key in blocks:
            found += _nested(value, blocks[key], path)
        else:
            found.append(f"{path}: unknown argument or block")
    for key, attribute in attributes.items():
        if attribute.get("required") and key not in body:
            found.append(f"{where}: missing required argument {key}")
    for key, nested in blocks.items():
        if nested["min_items"] and key not in body:
            found.append(f"{where}: missing required block {key}")
    return found


def _nested(value: Any, nested: dict[str, Any], path: str) -> list[str]:
    if nested["nesting_mode"] == "single":
        return _block(value, nested["block"], path)
    if not isinstance(value, list):
        return [f"{path}: a {nested['nesting_mode']} block is written as a JSON array of objects"]
    found = []
    if len(value) < nested["min_items"] or (nested["max_items"] and len(value) > nested["max_items"]):
        found.append(f"{path}: {len(value)} item(s), allowed {nested['min_items']}..{nested['max_items'] or 'any'}")
    for index, item in enumerate(value):
        found += _block(item, nested["block"], f"{path}[{index}]")
    return found


def _typed(value: Any, kind: Any, path: str) -> list[str]:
    if isinstance(value, str) and _INTERPOLATION.search(value):
        return []  # an expression: its type is only known to Terraform
    if kind == "dynamic":
        return []
    if isinstance(kind, str):
        ok = {"string": isinstance(value, str), "bool": isinstance(value, bool),
              "number": isinstance(value, (int, float)) and not isinstance(value, bool)}[kind]
        return [] if ok else [f"{path}: expected {kind}, got {json.dumps(value)}"]
    container, inner = kind[0], kind[1]
    if container in ("list", "set"):
        if not isinstance(value, list):
            return [f"{path}: expected a {container}, got {json.dumps(value)}"]
        return [problem for i, item in enumerate(value) for problem in _typed(item, inner, f"{path}[{i}]")]
    if container == "map":
        if not isinstance(value, dict):
            return [f"{path}: expected a map, got {json.dumps(value)}"]
        return [problem for key, item in value.items() for problem in _typed(item, inner, f"{path}.{key}")]
    return []


def iter_documents(directory: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    for path in sorted(directory.glob("*.tf.json")):
        yield path.name, json.loads(path.read_text())
