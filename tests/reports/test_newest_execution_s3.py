"""`fraudspec drift` on aws copies the newest execution from S3 as it reads one locally: the newest hour
with a report with data, never a later run that had none."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from fraudspec.core import jsonfile
from fraudspec.monitoring.engine.execution import run_execution, write_reports
from fraudspec.monitoring.records.hours import Window
from fraudspec.monitoring.records.sinks import S3Sink
from fraudspec.reports.drift import _fetch_newest_execution
from fraudspec.reports.html_input import newest_execution
from fraudspec.spec.load import load_spec
from tests.monitoring.conftest import WINDOW, baseline_of, blocks, capture_line
from tests.spec.conftest import BASE

FEATURES = ("txn_count_1h", "amount")


@pytest.mark.slow  # the AWS emulator
def test_the_s3_fetch_takes_the_newest_report_with_data(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "spec.yaml").write_text(BASE)
    spec = load_spec(tmp_path / "specs" / "spec.yaml", "dev")
    statistics, constraints = baseline_of(FEATURES, [[i % 5, 10.0 + i] for i in range(200)])
    later = Window(WINDOW.start + timedelta(hours=1), WINDOW.end + timedelta(hours=1))
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        s3 = boto3.client("s3", region_name=spec.environment.region)
        s3.create_bucket(Bucket=spec.environment.bucket,
                         CreateBucketConfiguration={"LocationConstraint": spec.environment.region})
        sink = S3Sink(s3, str(spec.environment.bucket), spec.names.reports_prefix)
        schedule = spec.names.monitoring_schedule
        with_data = run_execution(blocks(*[capture_line(f"{i % 5},{20.0 + i}") for i in range(30)]), statistics,
                                  constraints, WINDOW, FEATURES)
        write_reports(with_data, sink, spec.names.endpoint, schedule)
        write_reports(run_execution([], statistics, constraints, later, FEATURES), sink, spec.names.endpoint,
                      schedule)
        _fetch_newest_execution(spec, s3, schedule)
    folder = newest_execution(spec.workspace.reports / spec.names.endpoint / schedule)
    assert folder is not None and folder.parts[-4:] == ("2024", "05", "01", "11")
    summary = jsonfile.load(folder / "execution_summary.json", "summary", "")
    assert summary["status"] != "Failed" and summary["records"]["rows"] == 30
