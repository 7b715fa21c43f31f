"""The golden cases of `fraudspec cost`, shared by the tests and `update_goldens.py`.

Each runs the CLI from the repository root with a relative spec path, as a developer would, so the
output names files the same way on every checkout.
"""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path

from fraudspec.cli.main import main

REPO = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden"
# golden file -> the command's arguments
CASES = {
    "example.txt": ["cost", "--spec", "specs/fraud-detection.yaml"],
    "example.json": ["cost", "--spec", "specs/fraud-detection.yaml", "--format", "json"],
    "seeds.txt": ["cost", "--spec", "tests/cost/specs/seeds.yaml"],
    "challengers.txt": ["cost", "--spec", "specs/fraud-detection-challengers.yaml"],
}


def run_case(name: str) -> str:
    stdout = io.StringIO()
    previous = os.getcwd()
    os.chdir(REPO)
    try:
        with contextlib.redirect_stdout(stdout):
            code = main(CASES[name])
    finally:
        os.chdir(previous)
    assert code == 0, f"{CASES[name]} exited {code}"
    return stdout.getvalue()
