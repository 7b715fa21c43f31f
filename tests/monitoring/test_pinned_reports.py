"""The engine's output files for fixed inputs, pinned byte for byte: reading and profiling may be made
faster, never different.

The inputs mix what the readers take different paths for: compact CSV lines (the expression), lines
with spaces (pyarrow's JSON reader), JSON and batched inputs, missing fields, Deequ's String tokens
("1.", "nan", an overflow), malformed lines, and more rows than the KLL sketch holds uncompacted, over
several files and blocks. If a change to the engine is meant to change its output, it changes these
digests in the same commit and says why.
"""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest

from fraudspec.core import jsonfile
from fraudspec.monitoring.engine import constraints as constraints_file
from fraudspec.monitoring.engine import statistics as statistics_file
from fraudspec.monitoring.engine.baseline import compute_baseline, read_training_csv
from fraudspec.monitoring.engine.execution import run_execution, summary_json, violations_json
from fraudspec.monitoring.records import sources
from fraudspec.monitoring.records.sources import LocalCaptureSource, window_blocks
from fraudspec.spec.model import DriftSpec, MonitoringSpec, Schedule, frozen_map
from tests.monitoring.conftest import ENDPOINT, HOUR, VARIANT, WINDOW, capture_line, json_line, write_capture

FEATURES = ("count", "amount", "ratio", "score")
MONITORING = MonitoringSpec(Schedule("hourly", "cron(0 * ? * * *)", "cron(0 * ? * * *)"),
                            drift=DriftSpec(features=frozen_map({"amount": 0.05})))
ROWS = 12_000


def _number(value: float) -> str:
    return "" if np.isnan(value) else str(int(value)) if value.is_integer() else repr(value)


def _matrix(seed: int, scale: float) -> np.ndarray:
    rng = np.random.default_rng(seed)
    X = np.column_stack([
        rng.integers(0, 40, ROWS).astype(np.float64),
        np.round(rng.lognormal(3.0, 1.0, ROWS) * scale, 2),
        rng.random(ROWS),
        rng.normal(0.0, 1e3, ROWS),
    ])
    X[rng.random((ROWS, 4)) < 0.01] = np.nan  # missing values
    return X


def _rows(X: np.ndarray) -> list[str]:
    return [",".join(_number(v) for v in row) for row in X.tolist()]


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


@pytest.fixture(scope="module")
def baseline_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes]:
    folder = tmp_path_factory.mktemp("baseline")
    rows = _rows(_matrix(1, 1.0))
    path = folder / "train.csv"
    path.write_text("is_fraud," + ",".join(FEATURES) + "\n" + "".join(f"0,{row}\n" for row in rows))
    table = read_training_csv(path, FEATURES)
    statistics, constraints = compute_baseline(table, (), MONITORING)
    return (jsonfile.dumps(statistics_file.to_json(statistics)), jsonfile.dumps(constraints_file.to_json(constraints)))


def test_the_baseline_files_of_a_fixed_training_csv_are_pinned(baseline_files: tuple[bytes, bytes]) -> None:
    statistics, constraints = baseline_files
    assert (_digest(statistics), _digest(constraints)) == BASELINE_DIGESTS


def _capture_lines() -> list[list[str]]:
    """Three capture files: compact lines; lines with spaces and odd inputs; compact lines again."""
    rows = _rows(_matrix(2, 1.5))
    first = [capture_line(row) for row in rows[:5_000] if row.strip(",")]
    second = [line.replace('":"', '": "') for line in (capture_line(row) for row in rows[5_000:6_000])]
    second += [
        json_line({"count": 3, "amount": 12.5, "ratio": 0.25, "score": -1.0}),
        json_line({"instances": [[1, 2.5, 0.5, 3], [2, 3.5, 0.75, 4]]}),
        capture_line("1.,nan,1e999,x"),  # Strings to Deequ
        capture_line("4,5\n6,7,0.5,8\n"),  # a batch of two rows, the first short
        "not json",
        capture_line("1,1", encoding="XML"),
    ]
    third = [capture_line(row) for row in rows[6_000:] if row.strip(",")]
    return [first, second, third]


@pytest.fixture(scope="module")
def execution_files(baseline_files: tuple[bytes, bytes], tmp_path_factory: pytest.TempPathFactory,
                    ) -> tuple[bytes, bytes, bytes]:
    root = tmp_path_factory.mktemp("capture")
    for i, lines in enumerate(_capture_lines()):
        write_capture(root, HOUR, lines, name=f"{i:02d}-00-000-a.jsonl")
    baseline = statistics_file.from_json(json.loads(baseline_files[0]))
    constraints = constraints_file.from_json(json.loads(baseline_files[1]))
    with pytest.MonkeyPatch.context() as patch:  # small blocks: files cut into several, numbering continued
        patch.setattr(sources, "BLOCK_BYTES", 256 * 1024)
        blocks = list(window_blocks(LocalCaptureSource(root, ENDPOINT, VARIANT), WINDOW))
    assert len(blocks) > 3
    result = run_execution(blocks, baseline, constraints, WINDOW, FEATURES)
    assert result.statistics is not None
    summary = jsonfile.dumps(summary_json(result)).replace(str(root).encode(), b"ROOT")  # named in malformed lines
    return jsonfile.dumps(statistics_file.to_json(result.statistics)), jsonfile.dumps(violations_json(result)), summary


def test_an_execution_over_a_fixed_capture_window_is_pinned(execution_files: tuple[bytes, bytes, bytes]) -> None:
    assert tuple(_digest(data) for data in execution_files) == EXECUTION_DIGESTS


def test_the_pinned_execution_read_every_kind_of_line(execution_files: tuple[bytes, bytes, bytes]) -> None:
    """What the digests pin: every line read or counted as malformed, drift found on `amount`."""
    summary = json.loads(execution_files[2])
    assert summary["records"]["malformed"] == 2 and summary["malformed_examples"][0].endswith("not a JSON record")
    assert summary["records"]["lines"] == summary["records"]["records"] + 2
    assert summary["records"]["rows"] == summary["records"]["records"] + 2  # two records held two rows
    assert [d["feature"] for d in summary["drift"] if d["violated"]] == ["amount"]


BASELINE_DIGESTS = ("56b43871755c2fbb", "118db5337b9b1194")
EXECUTION_DIGESTS = ("b1dd2a9090594d72", "811aeef4e90e1110", "fffcb4579b537677")
