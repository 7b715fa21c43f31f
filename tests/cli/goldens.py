"""Golden files of the CLI's JSON outputs: one per command, compared byte for byte.

Regenerate after an intended change with `FRAUDSPEC_UPDATE_GOLDENS=1 .venv/bin/python -m pytest tests/cli`,
then review the diff: a renamed or removed key also bumps FORMAT_VERSION (docs/json-output.md).
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path
from typing import Any

GOLDEN = Path(__file__).parent / "golden"


def assert_golden(name: str, document: dict[str, Any]) -> None:
    text = json.dumps(document, indent=2) + "\n"
    path = GOLDEN / name
    if os.environ.get("FRAUDSPEC_UPDATE_GOLDENS"):
        path.write_text(text)
    assert path.is_file(), f"no golden {path.name}: run with FRAUDSPEC_UPDATE_GOLDENS=1"
    diff = "".join(difflib.unified_diff(path.read_text().splitlines(True), text.splitlines(True), "golden", "now"))
    assert not diff, f"{name} differs from its golden (FRAUDSPEC_UPDATE_GOLDENS=1 rewrites it):\n{diff}"
