"""Cold start of `fraudspec validate specs/fraud-detection.yaml` against a bare `python -c pass`.

Target (issue #2, on the 2-core machine): <= 0.35 s and <= 8x the bare interpreter.
Both are measured in the same run, alternating, best-of and median reported.
Usage: .venv/bin/python bench/cli_startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS, TARGET_RATIO = 0.35, 8.0


def _time(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    bare_cmd = [sys.executable, "-c", "pass"]
    cli_cmd = [sys.executable, "-m", "fraudspec", "validate", "specs/fraud-detection.yaml"]
    _time(cli_cmd)  # warm the file cache and __pycache__: "cold" means a fresh interpreter, not a cold disk
    bare, cli = [], []
    for _ in range(runs):
        bare.append(_time(bare_cmd))
        cli.append(_time(cli_cmd))
    bare_median, cli_median = statistics.median(bare), statistics.median(cli)
    ratio = cli_median / bare_median
    print(f"python -c pass            median {bare_median * 1000:7.1f} ms   best {min(bare) * 1000:7.1f} ms")
    print(f"fraudspec validate        median {cli_median * 1000:7.1f} ms   best {min(cli) * 1000:7.1f} ms")
    print(f"ratio (median)            {ratio:5.2f}x   target <= {TARGET_RATIO}x and <= {TARGET_SECONDS * 1000:.0f} ms")
    met = cli_median <= TARGET_SECONDS and ratio <= TARGET_RATIO
    print("target met" if met else "target MISSED")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
