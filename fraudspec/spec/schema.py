"""The spec's JSON Schema (schema.json, draft 2020-12), and its errors as located findings.

Schema keyword failures map onto rule ids, so every finding has one shape: a property in
schema.json may name its rule (`x-rule`) and a fix (`x-hint`); otherwise the keyword decides.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from fraudspec.core.errors import Finding
from fraudspec.spec.yaml_source import Source

SCHEMA_FILE = Path(__file__).with_name("schema.json")
_KEYWORD_RULES = {"additionalProperties": "FS003", "type": "FS004", "required": "FS005"}
_TYPE_NAMES = {"object": "a mapping", "array": "a list", "string": "a string", "integer": "a whole number",
               "number": "a number", "boolean": "true or false", "null": "null"}


def schema_text() -> str:
    return SCHEMA_FILE.read_text()


@lru_cache(maxsize=1)
def document_schema() -> dict[str, Any]:
    """schema.json, parsed once; callers must not change it."""
    return json.loads(schema_text())


def resolve(node: Any) -> dict[str, Any]:
    """`node` with its `$ref`s followed into `$defs`; {} for a node that is not a schema object."""
    while isinstance(node, dict) and "$ref" in node:
        node = document_schema()["$defs"][node["$ref"].rsplit("/", 1)[1]]
    return node if isinstance(node, dict) else {}


@lru_cache(maxsize=1)
def realtime_only() -> frozenset[str]:
    """Endpoint settings that only realtime endpoints have (FS105 names them under serverless)."""
    definitions = document_schema()["$defs"]
    return frozenset(definitions["realtime"]["properties"]) - frozenset(definitions["serverless"]["properties"])


@lru_cache(maxsize=1)
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(document_schema())


def schema_findings(source: Source) -> list[Finding]:
    """One finding per rule and place: `memory_mb: 1` breaks both minimum and multipleOf, say it once."""
    unique: dict[tuple, Finding] = {}
    for error in _validator().iter_errors(source.data):
        for finding in _findings(error, source):
            unique.setdefault((finding.rule, finding.location), finding)
    return list(unique.values())


def _findings(error: Any, source: Source) -> Iterator[Finding]:
    path = tuple(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    keyword = error.validator
    if keyword == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        extras = [key for key in error.instance if key not in allowed]
        for key in extras:
            yield _unknown_key(source, path, key, allowed)
        return
    if "propertyNames" in error.relative_schema_path:
        yield _bad_key(source, path, error)
        return
    rule = schema.get("x-rule") or _KEYWORD_RULES.get(keyword, "FS006")
    message, hint = _describe(error, path)
    yield Finding(rule, message, source.locate(path), schema.get("x-hint") or hint)


def _unknown_key(source: Source, path: tuple, key: str, allowed: list[str]) -> Finding:
    where = source.locate(path + (key,))
    if path[-1:] == ("serverless",) and key in realtime_only():
        return Finding("FS105", f"'{key}' is a realtime setting, not valid under endpoint.serverless", where,
                       "move it under `endpoint: {realtime: {...}}`, or remove it")
    return Finding("FS003", f"unknown key '{key}' in {_dotted(path)}", where,
                   _did_you_mean(key, allowed) or f"allowed keys: {', '.join(allowed)}")


def _bad_key(source: Source, path: tuple, error: Any) -> Finding:
    key = error.instance
    choices = error.validator_value if error.validator == "enum" else None
    hint = (_did_you_mean(key, choices) or f"allowed: {', '.join(choices)}") if choices else (
        f"use lowercase letters, digits and hyphens (pattern {error.validator_value})" if error.validator == "pattern"
        else f"shorten it ({error.message})")
    return Finding("FS006", f"'{key}' is not allowed as a key of {_dotted(path)}", source.locate(path + (key,)), hint)


def _describe(error: Any, path: tuple) -> tuple[str, str]:
    keyword, value, limit = error.validator, error.instance, error.validator_value
    field = _dotted(path)
    if keyword == "required":
        missing = error.message.split("'")[1]
        return f"missing required key '{missing}' in {field}", f"add `{missing}:` to {field}"
    if keyword == "type":
        wanted = " or ".join(_TYPE_NAMES.get(t, t) for t in ([limit] if isinstance(limit, str) else limit))
        return f"{field} must be {wanted}, not {_show(value)}", f"write {field} as {wanted}"
    if keyword == "enum":
        allowed = ", ".join(map(str, limit))
        hint = _did_you_mean(str(value), limit) or f"use one of {allowed}"
        return f"{field} is {_show(value)}; allowed: {allowed}", hint
    if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        relation = {"minimum": "at least", "maximum": "at most",
                    "exclusiveMinimum": "above", "exclusiveMaximum": "below"}[keyword]
        return f"{field} is {_show(value)}; it must be {relation} {limit}", f"set {field} {relation} {limit}"
    if keyword == "multipleOf":
        return f"{field} is {_show(value)}; it must be a multiple of {limit}", f"use a multiple of {limit}"
    if keyword == "pattern":
        return f"{field} {_show(value)} is not in the expected form", f"match the pattern {limit}"
    if keyword in ("minLength", "maxLength", "minItems", "maxItems"):
        return f"{field}: {error.message}", f"respect {keyword} {limit}"
    if keyword in ("minProperties", "maxProperties"):
        options = ", ".join(sorted(error.schema.get("properties", {})))
        return f"{field} must set exactly one of: {options}", f"keep one of {options}"
    return f"{field}: {error.message}", ""


def _did_you_mean(word: str, choices: Any) -> str:
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1)
    return f"did you mean '{close[0]}'?" if close else ""


def _dotted(path: tuple) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "the spec"


def _show(value: Any) -> str:
    return "null" if value is None else repr(value) if isinstance(value, str) else json.dumps(value, default=str)
