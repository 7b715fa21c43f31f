"""Readers refuse what is not a capture file: a FIFO named *.jsonl never blocks a reader, a line nested
too deeply for the JSON parser is one counted malformed line (locally, on S3 and so in the Lambda), and
a data file that is not a CSV is refused without its contents in the message."""

from __future__ import annotations

import os
import threading
from datetime import timedelta
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from fraudspec.core.errors import FraudspecError
from fraudspec.monitoring.engine.capture import read_capture
from fraudspec.monitoring.records.lines import TOO_DEEP
from fraudspec.monitoring.records.sources import LocalCaptureSource, S3CaptureSource, window_blocks
from fraudspec.runtime.monitoring import DATA, _since_last
from fraudspec.spec.load import load_spec
from fraudspec.spec.model import Feature
from fraudspec.training.dataset import read_csv
from tests.monitoring.conftest import HOUR, SPEC, VARIANT, WINDOW, capture_line, write_capture

FEATURES = ("txn_count_1h", "amount", "channel")
DEEP = '{"a":' + '[' * 100_000 + ']' * 100_000 + '}'  # valid JSON, too deep for the parser


def _bounded(call, seconds: float = 10.0):
    """call() in a thread; fails (instead of hanging the suite) when it does not return in time."""
    result: list = []

    def target() -> None:
        try:
            result.append(call())
        except Exception as error:  # re-raised in the test's thread
            result.append(error)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "the reader blocked"
    if isinstance(result[0], Exception):
        raise result[0]
    return result[0]


def test_a_fifo_named_jsonl_is_skipped_by_the_window_and_the_cursor(tmp_path: Path) -> None:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "spec.yaml").write_text(SPEC)
    spec = load_spec(tmp_path / "specs" / "spec.yaml", "local")
    path = write_capture(spec.workspace.capture, HOUR, [capture_line("1,2.5,web")], endpoint=spec.names.endpoint)
    os.mkfifo(path.with_name("zz-fifo.jsonl"))
    source = LocalCaptureSource(spec.workspace.capture, spec.names.endpoint, VARIANT)

    window = _bounded(lambda: read_capture(window_blocks(source, WINDOW), FEATURES, ["channel"]).counts)
    assert (window.rows, window.malformed) == (1, 0)

    def on_demand():
        with _since_last(spec, DATA, HOUR + timedelta(minutes=5)) as (_, blocks, _commit):
            return read_capture(blocks, FEATURES, ["channel"]).counts

    assert _bounded(on_demand).rows == 1


def test_an_over_deep_line_is_one_malformed_line_locally_and_on_s3(tmp_path: Path) -> None:
    lines = [capture_line("1,2.5,web"), DEEP, capture_line('{"x":' * 5000, encoding="JSON")]
    write_capture(tmp_path, HOUR, lines)
    local = read_capture(window_blocks(LocalCaptureSource(tmp_path, "ep", VARIANT), WINDOW), FEATURES, ["channel"])
    assert (local.counts.rows, local.counts.malformed) == (1, 2)
    assert TOO_DEEP in local.malformed_examples[0] and ":2:" in local.malformed_examples[0]
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="capture-bucket")
        s3.put_object(Bucket="capture-bucket", Key=f"c/ep/{VARIANT}/{HOUR:%Y/%m/%d/%H}/f.jsonl",
                      Body="".join(line + "\n" for line in lines).encode())
        source = S3CaptureSource(s3, "capture-bucket", "c", "ep", VARIANT)
        remote = read_capture(window_blocks(source, WINDOW), FEATURES, ["channel"])
    assert (remote.counts.rows, remote.counts.malformed) == (1, 2)


@pytest.mark.parametrize("source", ["/proc/self/environ", "fifo"])
def test_a_data_file_that_is_not_a_regular_file_is_refused_unread(tmp_path: Path, source: str,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRAUDSPEC_TEST_SECRET", "hunter2-secret")
    path = Path(source)
    if source == "fifo":
        path = tmp_path / "data.csv"
        os.mkfifo(path)
    with pytest.raises(FraudspecError) as caught:
        _bounded(lambda: read_csv(path, [Feature("amount")], "is_fraud"))
    assert "not a regular file" in str(caught.value) and "hunter2" not in str(caught.value)


def test_a_header_that_is_not_column_names_is_described_not_printed(tmp_path: Path) -> None:
    path = tmp_path / "secrets.csv"
    path.write_text("AWS_SECRET_ACCESS_KEY=hunter2-secret\n1\n")
    with pytest.raises(FraudspecError) as caught:
        read_csv(path, [Feature("amount")], "is_fraud")
    shown = "".join(f"{finding} {finding.hint}" for finding in caught.value.findings)
    assert "missing column(s) amount" in shown and "hunter2" not in shown
