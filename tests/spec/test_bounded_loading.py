"""Loading a spec is bounded: alias and merge-key bombs, huge and deeply nested documents fail fast with a
located FS008 (the time bound is a subprocess timeout, not a timed assertion); .nan/.inf are FS009;
schedules that never fire or overflow are FS201."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from fraudspec.spec.schedule import _never_fires, problem
from tests.spec.conftest import BASE

LAUGHS = 'lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
    f"lol{i}: &lol{i} [" + ", ".join([f"*lol{i - 1}"] * 9) + "]\n" for i in range(1, 10))
MERGES = "m0: &m0 {a: 1, b: 2}\n" + "".join(f"m{i}: &m{i}\n  <<: [*m{i - 1}, *m{i - 1}]\n  k{i}: 1\n"
                                             for i in range(1, 60))
NESTED = "".join("  " * i + f"k{i}:\n" for i in range(200)) + "  " * 200 + "v\n"


@pytest.mark.slow
@pytest.mark.parametrize("bomb", [LAUGHS, MERGES, NESTED, "x: " + "y" * (2 * 1024 * 1024) + "\n"],
                         ids=["billion-laughs", "merge-keys", "nesting", "size"])
def test_a_hostile_document_fails_fast_with_a_located_error(tmp_path: Path, bomb: str) -> None:
    spec = tmp_path / "bomb.yaml"
    spec.write_text(BASE + bomb)
    done = subprocess.run([sys.executable, "-m", "fraudspec.cli.main", "validate", "--spec", str(spec)],
                          capture_output=True, text=True, timeout=30)
    said = done.stdout + done.stderr
    assert done.returncode == 1, said
    assert f"{spec}:" in said and "FS008" in said and "Traceback" not in said


def test_never_firing_and_overflowing_schedules_are_refused() -> None:
    now = datetime(2026, 6, 1, tzinfo=timezone.utc)
    assert _never_fires("0 0 30 2 ? *", now) and _never_fires("0 0 31 11 ? *", now)
    assert _never_fires("0 0 1 1 ? 2025", now) and _never_fires("0 0 29 2 ? 2027", now)
    assert _never_fires("0 0 29 2 ? *", now) is None and _never_fires("0 0 29 2 ? 2028", now) is None
    assert _never_fires("0 0 1 1 ? 2026-2030", now) is None and _never_fires("0 * ? * * *", now) is None
    for schedule in ("rate(100000000000000000000 days)", "rate(367 days)", "rate(999999999999 minutes)"):
        found = problem(schedule, "fraudspec")
        assert found is not None and "366 days" in found.message
    assert problem("rate(366 days)", "fraudspec") is None
