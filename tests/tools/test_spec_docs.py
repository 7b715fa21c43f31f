"""The README documents every spec field and rule, generated from the schema and the registry."""

from __future__ import annotations

import json
from pathlib import Path

from fraudspec.spec.schema import SCHEMA_FILE
from tools.spec_docs import BLOCKS, generated, markers, reference_table

README = Path(__file__).parents[2] / "README.md"


def test_readme_blocks_are_current() -> None:
    text = README.read_text()
    for name in BLOCKS:
        start, end = markers(name)
        assert start in text and end in text, f"README lacks the {name} markers"
        block = text.split(start, 1)[1].split(end, 1)[0].strip()
        assert block == generated(name), f"README's {name} is stale: run `python -m tools.spec_docs`"


def test_reference_lists_every_leaf_field() -> None:
    table = reference_table()
    for path in ("endpoint.serverless.memory_mb", "monitoring.drift.features", "alarms.notify[].webhook",
                 "environments.<name>.state.backend", "environments.<name>.overrides", "model.data.synthetic.seed"):
        assert f"| `{path}` |" in table, path
    described = json.loads(SCHEMA_FILE.read_text())
    assert all("description" in node for node in described["$defs"]["monitoring"]["properties"].values())
