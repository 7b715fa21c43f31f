"""Regenerate tests/review/golden/ after an intended change to `fraudspec diff`'s output.

    .venv/bin/python tests/review/update_goldens.py

Then review `git diff tests/review/golden` like code: it is what reviewers will read.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from scenarios import SCENARIOS, golden, run_diff


def main() -> None:
    for scenario in SCENARIOS:
        with tempfile.TemporaryDirectory() as tmp:
            outputs = run_diff(scenario, Path(tmp))
        for fmt, output in outputs.items():
            path = golden(scenario, fmt)
            changed = not path.is_file() or path.read_text() != output
            path.write_text(output)
            print(f"{path.name}: {'changed' if changed else 'unchanged'}")


if __name__ == "__main__":
    main()
