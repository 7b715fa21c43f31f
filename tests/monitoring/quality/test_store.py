"""Ground truth written and read by arrival hour, in a directory and in S3 (moto), and a whole run on S3."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import boto3
from moto import mock_aws

from fraudspec.monitoring.jobs.run import Destination, run_job
from fraudspec.monitoring.quality.constraints import QualityConstraint
from fraudspec.monitoring.quality.execution import QualityJob, QualityWindows
from fraudspec.monitoring.records.groundtruth import read_labels
from fraudspec.monitoring.records.hours import Window
from fraudspec.monitoring.records.label_store import GroundTruthLabel, ground_truth_source, write_ground_truth
from fraudspec.monitoring.records.sinks import S3Sink
from fraudspec.monitoring.records.sources import S3CaptureSource, window_blocks
from tests.monitoring.quality.conftest import HOUR, prediction_line

H = timedelta(hours=1)


def no_client():
    raise AssertionError("a local location must not need an S3 client")


def read_back(source, window: Window):
    return read_labels(window_blocks(source, window))


def test_labels_go_to_the_folder_of_the_hour_they_arrive(tmp_path: Path) -> None:
    labels = [GroundTruthLabel("a", 1, HOUR + timedelta(minutes=5, milliseconds=7)),
              GroundTruthLabel("b", 0, HOUR + timedelta(minutes=1)), GroundTruthLabel("c", 1, HOUR + H)]
    written = write_ground_truth(str(tmp_path), labels)
    assert [Path(p).parent.relative_to(tmp_path).as_posix() for p in written] == ["2024/05/01/10", "2024/05/01/11"]
    assert Path(written[0]).name.startswith("01-00-000-") and Path(written[0]).suffix == ".jsonl"
    source = ground_truth_source(str(tmp_path), no_client)
    assert source.hours() == [HOUR, HOUR + H]
    assert [(r.key, r.labels) for r in read_back(source, Window(HOUR, HOUR + H)).records] == [("a", (1,)), ("b", (0,))]


def test_writing_twice_in_an_hour_keeps_both_files(tmp_path: Path) -> None:
    first = write_ground_truth(str(tmp_path), [GroundTruthLabel("a", 1, HOUR)])
    second = write_ground_truth(str(tmp_path), [GroundTruthLabel("b", 0, HOUR)])
    assert first != second and all(Path(p).is_file() for p in first + second)
    assert write_ground_truth(str(tmp_path), []) == ()


@mock_aws
def test_ground_truth_in_s3_is_written_and_read_by_hour() -> None:
    client = boto3.client("s3", region_name="us-east-1")
    client.create_bucket(Bucket="labels")
    written = write_ground_truth("s3://labels/gt", [GroundTruthLabel("a", 1, HOUR), GroundTruthLabel("b", 0, HOUR + H)],
                                 client)
    assert all(p.startswith("s3://labels/gt/2024/05/01/1") for p in written)
    source = ground_truth_source("s3://labels/gt", lambda: client)
    assert source.hours() == [HOUR, HOUR + H]
    assert [r.key for r in read_back(source, Window(HOUR, HOUR + 2 * H)).records] == ["a", "b"]
    write_ground_truth("s3://labels", [GroundTruthLabel("root", 1, HOUR)], client)
    root = ground_truth_source("s3://labels", lambda: client)
    assert [r.key for r in read_back(root, Window(HOUR, HOUR + H)).records] == ["root"]


@mock_aws
def test_a_whole_execution_reads_capture_and_labels_from_s3_and_writes_reports_there() -> None:
    client = boto3.client("s3", region_name="us-east-1")
    client.create_bucket(Bucket="bkt")
    lines = [prediction_line(f"e{i}", p, inference_id=f"txn-{i}") for i, p in enumerate([0.9, 0.8, 0.3, 0.1])]
    client.put_object(Bucket="bkt", Key="cap/ep/AllTraffic/2024/05/01/10/00-00-000-x.jsonl",
                      Body="".join(line + "\n" for line in lines).encode())
    write_ground_truth("s3://bkt/gt", [GroundTruthLabel(f"txn-{i}", y, HOUR + H) for i, y in enumerate([1, 0, 1, 0])],
                       client)
    job = QualityJob((QualityConstraint("recall", 0.8, "LessThanThreshold"),), 0.5, min_labels=4)
    windows = QualityWindows(Window(HOUR, HOUR + H), Window(HOUR, HOUR + 2 * H))
    captures = S3CaptureSource(client, "bkt", "cap", "ep", "AllTraffic")
    outcome = run_job(job, window_blocks(captures, windows.capture), windows,
                      Destination(S3Sink(client, "bkt", "reports"), "ep", "ep-model-quality"),
                      ground_truth_source("s3://bkt/gt", lambda: client))
    result, written = outcome.result, outcome.reports
    assert result.status == "CompletedWithViolations" and result.metrics.values["recall"] == 0.5
    assert written[0] == "s3://bkt/reports/ep/ep-model-quality/2024/05/01/12/statistics.json"
    body = client.get_object(Bucket="bkt", Key="reports/ep/ep-model-quality/2024/05/01/12/constraint_violations.json")
    assert b'"metric_name": "recall"' in body["Body"].read()
