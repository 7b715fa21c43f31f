"""Capture listing by the hourly layout, newline-aligned blocks, atomic local writes, S3 via moto."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from fraudspec.core.errors import FraudspecError
from fraudspec.monitoring.records import sources
from fraudspec.monitoring.records.blocks import aligned_blocks
from fraudspec.monitoring.records.hours import Window, report_folder
from fraudspec.monitoring.records.sinks import LocalSink, S3Sink
from fraudspec.monitoring.records.sources import LocalCaptureSource, S3CaptureSource, split_s3_uri
from tests.monitoring.conftest import ENDPOINT, HOUR, VARIANT, write_capture


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


def test_the_default_window_is_the_previous_full_hour() -> None:
    window = Window.previous_hour(utc(2024, 5, 1, 10, 25, 7))
    assert (window.start, window.end) == (utc(2024, 5, 1, 9), utc(2024, 5, 1, 10))


def test_a_window_holds_the_hours_from_its_rounded_down_start_to_before_its_end() -> None:
    window = Window(utc(2024, 5, 1, 9, 30), utc(2024, 5, 1, 11))
    assert [window.contains_hour(utc(2024, 5, 1, h)) for h in (8, 9, 10, 11)] == [False, True, True, False]
    with pytest.raises(FraudspecError, match="ends"):
        Window(utc(2024, 5, 1, 11), utc(2024, 5, 1, 10))


def test_reports_go_under_the_hour_the_window_ends() -> None:
    assert report_folder("ep", "sched", Window(utc(2024, 5, 1, 10), utc(2024, 5, 1, 11))) == "ep/sched/2024/05/01/11"
    assert (
        report_folder("ep", "sched", Window(utc(2024, 5, 1, 10), utc(2024, 5, 1, 11, 30))) == "ep/sched/2024/05/01/12"
    )


def test_local_source_lists_the_windows_files_in_order(tmp_path: Path) -> None:
    for hour in (HOUR - timedelta(hours=1), HOUR, HOUR + timedelta(hours=1)):
        write_capture(tmp_path, hour, ["x"], name="10-00-000-b.jsonl")
        write_capture(tmp_path, hour, ["x"], name="05-00-000-a.jsonl")
    (tmp_path / ENDPOINT / VARIANT / "2024" / "05" / "01" / "notes").mkdir()
    source = LocalCaptureSource(tmp_path, ENDPOINT, VARIANT)
    assert source.hours() == [HOUR - timedelta(hours=1), HOUR, HOUR + timedelta(hours=1)]
    found = source.objects(Window(HOUR, HOUR + timedelta(hours=1)))
    assert [Path(f).relative_to(tmp_path).as_posix() for f in found] == [
        f"{ENDPOINT}/{VARIANT}/2024/05/01/10/05-00-000-a.jsonl",
        f"{ENDPOINT}/{VARIANT}/2024/05/01/10/10-00-000-b.jsonl",
    ]


def test_blocks_end_at_newlines_and_keep_every_byte(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "BLOCK_BYTES", 7)
    text = b"".join(b"line-%d\n" % i for i in range(20)) + b"tail"
    path = write_capture(tmp_path, HOUR, [])
    path.write_bytes(text)
    found = list(LocalCaptureSource(tmp_path, ENDPOINT, VARIANT).blocks(str(path)))
    assert len(found) > 5 and b"".join(b.data for b in found) == text
    assert all(b.data.endswith(b"\n") for b in found[:-1])
    assert [b.data for b in aligned_blocks("s", [b"ab", b"c\nd", b"e\n"])] == [b"abc\n", b"de\n"]


def test_local_sink_writes_atomically(tmp_path: Path) -> None:
    sink = LocalSink(tmp_path)
    where = sink.write("ep/s/2024/05/01/11/statistics.json", b"{}")
    sink.write("ep/s/2024/05/01/11/statistics.json", b'{"a": 1}')
    assert Path(where).read_bytes() == b'{"a": 1}'
    assert [p.name for p in Path(where).parent.iterdir()] == ["statistics.json"]


def test_s3_locations_are_parsed_or_rejected() -> None:
    assert split_s3_uri("s3://bucket/a/b/") == ("bucket", "a/b")
    assert split_s3_uri("s3://bucket") == ("bucket", "")
    with pytest.raises(FraudspecError, match="not an S3 location"):
        split_s3_uri("https://bucket/a")


@mock_aws
def test_s3_source_lists_only_the_windows_hours_and_reads_blocks() -> None:
    client = boto3.client("s3", region_name="us-east-1")
    client.create_bucket(Bucket="capture-bucket")
    for hour in (HOUR - timedelta(hours=1), HOUR, HOUR + timedelta(hours=1)):
        for name in ("b.jsonl", "a.jsonl", "skip.txt"):
            client.put_object(
                Bucket="capture-bucket", Key=f"cap/{ENDPOINT}/{VARIANT}/{hour:%Y/%m/%d/%H}/{name}", Body=b"one\ntwo\n"
            )
    source = S3CaptureSource(client, "capture-bucket", "cap", ENDPOINT, VARIANT)
    assert source.hours() == [HOUR - timedelta(hours=1), HOUR, HOUR + timedelta(hours=1)]
    keys = source.objects(Window(HOUR, HOUR + timedelta(hours=1)))
    assert keys == [
        f"cap/{ENDPOINT}/{VARIANT}/2024/05/01/10/a.jsonl",
        f"cap/{ENDPOINT}/{VARIANT}/2024/05/01/10/b.jsonl",
    ]
    [block] = source.blocks(keys[0])
    assert block.data == b"one\ntwo\n" and block.source == f"s3://capture-bucket/{keys[0]}"


@mock_aws
def test_s3_sink_puts_under_its_prefix() -> None:
    client = boto3.client("s3", region_name="us-east-1")
    client.create_bucket(Bucket="capture-bucket")
    assert (
        S3Sink(client, "capture-bucket", "reports/").write("ep/s/x.json", b"{}")
        == "s3://capture-bucket/reports/ep/s/x.json"
    )
    assert client.get_object(Bucket="capture-bucket", Key="reports/ep/s/x.json")["Body"].read() == b"{}"
