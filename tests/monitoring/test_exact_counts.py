"""Every capture reader counts exactly: rows read = rows written, malformed = malformed written.

Hypothesis writes capture files with random line lengths (longer than the read block: BLOCK_BYTES is
shrunk to a few bytes), CSV and JSON batch records, blank lines and malformed lines (not JSON, not an
object, no input, nested too deeply for the parser), and appends to them between on-demand runs at
arbitrary byte positions (mid-line included). Readers: the local window, the local on-demand cursor,
S3 (moto) and the monitoring Lambda's entry point; and the ground-truth reader, which shares them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import boto3
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from moto import mock_aws

from fraudspec.monitoring.engine import constraints as constraints_file
from fraudspec.monitoring.engine import statistics as statistics_file
from fraudspec.monitoring.engine.capture import read_capture
from fraudspec.monitoring.jobs import lambda_entry
from fraudspec.monitoring.jobs.settings import Settings
from fraudspec.monitoring.records import sources
from fraudspec.monitoring.records.groundtruth import ground_truth_line, read_labels
from fraudspec.monitoring.records.sources import LocalCaptureSource, S3CaptureSource, window_blocks
from fraudspec.runtime.monitoring import DATA, _since_last
from fraudspec.spec.load import load_spec
from tests.monitoring.conftest import HOUR, SPEC, VARIANT, WINDOW, baseline_of, capture_line, json_line

FEATURES = ("txn_count_1h", "amount", "channel")
TEXT = ("channel",)
BUCKET = "capture-bucket"
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MOTO = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@dataclass(frozen=True)
class Written:
    files: tuple[bytes, ...]  # each file's whole content, every line newline-terminated
    rows: int
    malformed: int


def _padded(line: str, padding: int) -> str:
    """The same record with an inferenceId of `padding` characters: lines of any length."""
    record = json.loads(line)
    record["eventMetadata"]["inferenceId"] = "p" * padding
    return json.dumps(record, separators=(",", ":"))


@st.composite
def _line(draw: st.DrawFn) -> tuple[str, int, int]:
    """(line, rows, malformed) of one random line."""
    kind = draw(st.sampled_from(["csv", "csv", "json", "blank", "garbage", "scalar", "no_input", "deep"]))
    padding = draw(st.integers(0, 300))
    if kind == "csv":
        return capture_line(f"{draw(st.integers(0, 9))},{draw(st.floats(0, 1e4)):.2f},web"), 1, 0
    if kind == "json":
        batch = draw(st.integers(1, 4))
        return _padded(json_line([{"txn_count_1h": i, "amount": 1.5, "channel": "app"} for i in range(batch)]),
                       padding), batch, 0
    if kind == "blank":
        return " " * draw(st.integers(0, 3)), 0, 0
    if kind == "garbage":
        return "x" + draw(st.text(st.characters(blacklist_characters="\n\r", codec="utf-8"), max_size=50)), 0, 1
    if kind == "scalar":
        return json.dumps(draw(st.integers())), 0, 1
    if kind == "no_input":
        return json.dumps({"eventMetadata": {"eventId": "e"}, "pad": "q" * padding}), 0, 1
    return "[" * draw(st.integers(5_000, 60_000)), 0, 1  # over the parser's recursion limit


@st.composite
def _written(draw: st.DrawFn) -> Written:
    files, rows, malformed = [], 0, 0
    for _ in range(draw(st.integers(1, 3))):
        lines = draw(st.lists(_line(), max_size=25))
        files.append("".join(line + "\n" for line, _, _ in lines).encode())
        rows += sum(n for _, n, _ in lines)
        malformed += sum(m for _, _, m in lines)
    return Written(tuple(files), rows, malformed)


@contextmanager
def _block_bytes(size: int) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sources, "BLOCK_BYTES", size)
        yield


def _write_local(root: Path, endpoint: str, files: tuple[bytes, ...]) -> list[Path]:
    folder = root / endpoint / VARIANT / HOUR.strftime("%Y/%m/%d/%H")
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"00-00-{i:03d}-f.jsonl" for i in range(len(files))]
    for path, data in zip(paths, files):
        path.write_bytes(data)
    return paths


def _counts(blocks) -> tuple[int, int]:
    counts = read_capture(blocks, FEATURES, TEXT).counts
    return counts.rows, counts.malformed


@FAST
@given(written=_written(), block=st.integers(1, 64))
def test_local_window_counts_exactly(tmp_path_factory, written: Written, block: int) -> None:
    root = tmp_path_factory.mktemp("capture")
    _write_local(root, "ep", written.files)
    with _block_bytes(block):
        assert _counts(window_blocks(LocalCaptureSource(root, "ep", VARIANT), WINDOW)) == (
            written.rows, written.malformed)


@FAST
@given(written=_written(), block=st.integers(1, 64), data=st.data())
def test_on_demand_cursor_counts_every_line_once_across_appends(tmp_path_factory, written: Written, block: int,
                                                                  data: st.DataObject) -> None:
    project = tmp_path_factory.mktemp("project")
    (project / "specs").mkdir()
    (project / "specs" / "spec.yaml").write_text(SPEC)
    spec = load_spec(project / "specs" / "spec.yaml", "local")
    paths = _write_local(spec.workspace.capture, spec.names.endpoint, tuple(b"" for _ in written.files))
    # Each file grows in random pieces, cut at any byte; a run happens after each round of appends.
    cuts = [sorted(data.draw(st.lists(st.integers(0, len(content)), max_size=4))) + [len(content)]
            for content in written.files]
    rows = malformed = 0
    now = HOUR + timedelta(minutes=1)
    with _block_bytes(block):
        for round_ in range(max(len(c) for c in cuts)):
            for path, content, file_cuts in zip(paths, written.files, cuts):
                path.write_bytes(content[:file_cuts[min(round_, len(file_cuts) - 1)]])
            now += timedelta(seconds=1)
            with _since_last(spec, DATA, now) as (_, blocks, commit):
                read = _counts(blocks)
                commit()
            rows, malformed = rows + read[0], malformed + read[1]
    assert (rows, malformed) == (written.rows, written.malformed)


def _put_s3(s3, files: tuple[bytes, ...], prefix: str = "capture", endpoint: str = "ep") -> None:
    for i, data in enumerate(files):
        s3.put_object(Bucket=BUCKET, Key=f"{prefix}/{endpoint}/{VARIANT}/{HOUR:%Y/%m/%d/%H}/00-00-{i:03d}.jsonl",
                      Body=data)


@pytest.mark.slow
@MOTO
@given(written=_written(), block=st.integers(1, 64))
def test_s3_window_counts_exactly(written: Written, block: int) -> None:
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        _put_s3(s3, written.files)
        with _block_bytes(block):
            assert _counts(window_blocks(S3CaptureSource(s3, BUCKET, "capture", "ep", VARIANT), WINDOW)) == (
                written.rows, written.malformed)


@pytest.mark.slow
@MOTO
@given(written=_written(), block=st.integers(1, 64))
def test_lambda_entry_counts_exactly(written: Written, block: int) -> None:
    statistics, constraints = baseline_of(FEATURES, [[i % 5, 10.0 + i, "web"] for i in range(50)], TEXT)
    settings_ = Settings(
        statistics_uri=f"s3://{BUCKET}/baseline/statistics.json",
        constraints_uri=f"s3://{BUCKET}/baseline/constraints.json",
        capture_uri=f"s3://{BUCKET}/capture", reports_uri=f"s3://{BUCKET}/reports",
        endpoint_name="ep", variant_name=VARIANT, schedule_name="ep-dq", metric_namespace="ns",
        emit_metrics=False, window_seconds=3600, features=FEATURES)
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        s3.put_object(Bucket=BUCKET, Key="baseline/statistics.json",
                      Body=json.dumps(statistics_file.to_json(statistics)).encode())
        s3.put_object(Bucket=BUCKET, Key="baseline/constraints.json",
                      Body=json.dumps(constraints_file.to_json(constraints)).encode())
        _put_s3(s3, written.files)
        with _block_bytes(block):
            outcome = lambda_entry.run(settings_, WINDOW, s3, boto3.client("cloudwatch", region_name="us-east-1"))
        summary_uri = next(uri for uri in outcome.reports if uri.endswith("execution_summary.json"))
        summary = json.loads(s3.get_object(Bucket=BUCKET, Key=summary_uri.split("/", 3)[3])["Body"].read())
    assert (summary["records"]["rows"], summary["records"]["malformed"]) == (written.rows, written.malformed)


@st.composite
def _label_lines(draw: st.DrawFn) -> tuple[str, int, int]:
    """(line, labels, malformed) of one random ground-truth line."""
    kind = draw(st.sampled_from(["label", "label", "batch", "blank", "garbage", "no_key", "deep"]))
    key = "k" * draw(st.integers(1, 200))
    if kind == "label":
        return ground_truth_line(key, [draw(st.integers(0, 1))]), 1, 0
    if kind == "batch":
        labels = draw(st.lists(st.integers(0, 1), min_size=1, max_size=5))
        return ground_truth_line(key, labels), len(labels), 0
    if kind == "blank":
        return "", 0, 0
    if kind == "garbage":
        return "{" + draw(st.text(st.characters(blacklist_characters="\n\r", codec="utf-8"), max_size=30)), 0, 1
    if kind == "no_key":
        return json.dumps({"groundTruthData": {"data": "1", "encoding": "CSV"}, "eventMetadata": {}}), 0, 1
    return "[" * draw(st.integers(70, 5000)) + "]" * 3, 0, 1


@FAST
@given(lines=st.lists(_label_lines(), max_size=40), block=st.integers(1, 64))
def test_ground_truth_reader_counts_exactly(tmp_path_factory, lines, block: int) -> None:
    root = tmp_path_factory.mktemp("labels")
    folder = root / HOUR.strftime("%Y/%m/%d/%H")
    folder.mkdir(parents=True)
    (folder / "00-00-000-g.jsonl").write_text("".join(line + "\n" for line, _, _ in lines))
    with _block_bytes(block):
        read = read_labels(window_blocks(LocalCaptureSource(root, "", ""), WINDOW))
    assert sum(len(record.labels) for record in read.records) == sum(n for _, n, _ in lines)
    assert read.malformed == sum(m for _, _, m in lines)
