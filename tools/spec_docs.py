"""The README's spec reference and rule list, generated from schema.json and the rule registry
so the three never disagree.

`python -m tools.spec_docs` rewrites the blocks between the markers in README.md;
tests/tools/test_spec_docs.py fails when the README is stale.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from fraudspec.spec.schema import document_schema, resolve

BLOCKS = ("spec-reference", "rules")


def reference_table() -> str:
    rows = ["| field | type | default | meaning |", "|---|---|---|---|"]
    for path, node in _fields(document_schema(), ""):
        # An empty section's default ({} or []) says nothing its fields' own defaults do not.
        default = f"`{json.dumps(node['default'])}`" if node.get("default", {}) not in ({}, []) else ""
        rows.append(f"| `{path}` | {_type(node)} | {default} | {node.get('description', '')} |")
    return "\n".join(rows)


def rules_table() -> str:
    from fraudspec.spec.rules.registry import RULES

    rows = ["| rule | checks | reported by |", "|---|---|---|"]
    rows += [f"| {rule.id} | {rule.summary} | {_reporter(rule)} |" for rule in RULES.values()]
    return "\n".join(rows)


def _reporter(rule) -> str:
    if rule.severity == "warning":
        return "cost estimate (warning)"
    return "rule" if rule.check else "JSON Schema"


def generated(name: str) -> str:
    return {"spec-reference": reference_table, "rules": rules_table}[name]()


def _fields(node: dict, prefix: str) -> Iterator[tuple[str, dict]]:
    for name, child in resolve(node).get("properties", {}).items():
        child = resolve(child)
        path = f"{prefix}.{name}" if prefix else name
        yield path, child
        yield from _fields(child, path)
        if isinstance(child.get("items"), dict):
            yield from _fields(child["items"], f"{path}[]")
        extra = child.get("additionalProperties")
        if isinstance(extra, dict) and ("$ref" in extra or "properties" in extra):
            yield from _fields(extra, f"{path}.<name>")


def _type(node: dict) -> str:
    if "enum" in node:
        return " \\| ".join(f"`{value}`" for value in node["enum"])
    kind = node.get("type", "")
    return " or ".join(kind) if isinstance(kind, list) else kind


def markers(name: str) -> tuple[str, str]:
    return f"<!-- {name}:start -->", f"<!-- {name}:end -->"


def replace_block(text: str, name: str, block: str) -> str:
    start, end = markers(name)
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{start}\n{block}\n{end}{tail}"


def main(argv: list[str]) -> None:
    readme = Path(argv[0] if argv else "README.md")
    text = readme.read_text()
    for name in BLOCKS:
        text = replace_block(text, name, generated(name))
    tmp = readme.with_suffix(".tmp")
    tmp.write_text(text)
    os.replace(tmp, readme)


if __name__ == "__main__":
    main(sys.argv[1:])
