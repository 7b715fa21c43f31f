"""Regenerate tests/cost/golden/ after an intended change to the estimate or the price table.

    .venv/bin/python tests/cost/update_goldens.py

Then review `git diff tests/cost/golden` like code: it is what reviewers and the README quote.
"""

from __future__ import annotations

from cases import CASES, GOLDEN, run_case


def main() -> None:
    GOLDEN.mkdir(exist_ok=True)
    for name in CASES:
        path = GOLDEN / name
        output = run_case(name)
        changed = not path.is_file() or path.read_text() != output
        path.write_text(output)
        print(f"{name}: {'changed' if changed else 'unchanged'}")


if __name__ == "__main__":
    main()
