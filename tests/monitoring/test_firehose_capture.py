"""Capture through Amazon Data Firehose, end to end against moto: the handler's Firehose sink puts each
sampled record into a delivery stream, the stream delivers it to S3 under the capture prefix, and
`fraudspec monitor run` reads it from there and reports the drift.

What moto cannot prove, and this test therefore does not: Firehose's buffering (moto writes one
object per PutRecord, at once), the custom prefix's `!{timestamp:...}` namespaces and the error
output prefix (moto appends yyyy/MM/dd/HH/ to a plain prefix, which is what the rendered namespace
expands to), the `.jsonl` file extension (moto names objects `{stream}-{version}-{time}-{uuid}`,
which the reader accepts too), SSE-KMS with the capture key, and the IAM policies (moto does not
evaluate them). The rendered stream is checked against the real provider schema instead.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from fraudspec.artifact.handler.capture import ENV_DESTINATION, ENV_ENDPOINT, from_environment
from fraudspec.artifact.handler.firehose import FirehoseSink
from fraudspec.cli import main as cli_main
from fraudspec.training.synthetic import generate_drifted
from tests.monitoring.conftest import csv_rows
from tests.monitoring.test_cli import ENDPOINT, FEATURES, REPORTS, commands, train_csv  # noqa: F401 (fixture)

BUCKET, STREAM, REGION = "capture-bucket", "fraud-capture", "us-east-1"


def _stream(firehose, s3) -> None:
    s3.create_bucket(Bucket=BUCKET)
    firehose.create_delivery_stream(
        DeliveryStreamName=STREAM,
        DeliveryStreamType="DirectPut",
        ExtendedS3DestinationConfiguration={
            "RoleARN": "arn:aws:iam::123456789012:role/firehose",
            "BucketARN": f"arn:aws:s3:::{BUCKET}",
            "Prefix": f"cap/{ENDPOINT}/AllTraffic/",  # moto adds yyyy/MM/dd/HH/, as the rendered namespace does
            "BufferingHints": {"SizeInMBs": 64, "IntervalInSeconds": 300},
        },
    )


@pytest.mark.slow
@mock_aws
def test_handler_to_firehose_to_s3_to_monitor_run(spec_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    root = spec_path.parents[1]
    train_csv(root)
    assert cli_main.main(["baseline", "--spec", str(spec_path), "--env", "local"]) == 0
    firehose, s3 = boto3.client("firehose", region_name=REGION), boto3.client("s3", region_name=REGION)
    _stream(firehose, s3)

    # As the rendered model configures it (render.endpoint's handler environment).
    capturer = from_environment({ENV_DESTINATION: f"firehose://{STREAM}", ENV_ENDPOINT: ENDPOINT})
    assert capturer is not None and isinstance(capturer.sink, FirehoseSink)
    rows = csv_rows(generate_drifted(FEATURES, 300, seed=9, drift="amount=x4").X)
    started = datetime.now(timezone.utc)
    for i, row in enumerate(rows):
        request = f"{row},{'app' if i % 3 else 'web'}"
        assert capturer.capture(request, "text/csv", '{"is_fraud": 0, "fraud_probability": 0.1}', "application/json")
    assert (capturer.captured, capturer.failures) == (300, 0)

    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET, Prefix="cap/")["Contents"]]
    assert len(keys) == 300 and all(key.startswith(f"cap/{ENDPOINT}/AllTraffic/{started:%Y/%m/%d}/") for key in keys)
    body = s3.get_object(Bucket=BUCKET, Key=keys[0])["Body"].read()
    assert body.endswith(b"\n") and json.loads(body)["captureData"]["endpointInput"]["encoding"] == "CSV"

    start = started.replace(minute=0, second=0, microsecond=0)
    cli_main.main(["monitor", "run", "--spec", str(spec_path), "--env", "local", "--capture", f"s3://{BUCKET}/cap",
                   "--output", f"s3://{BUCKET}/reports", "--start", start.strftime("%Y-%m-%dT%H:%MZ"),
                   "--end", (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%MZ")])
    reports = f"reports/{REPORTS.relative_to('build/spec/local/monitoring/reports')}/"
    summaries = [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET, Prefix=reports)["Contents"]
                 if item["Key"].endswith("/execution_summary.json")]
    summary = json.loads(s3.get_object(Bucket=BUCKET, Key=summaries[-1])["Body"].read())
    assert summary["records"]["rows"] == 300 and summary["records"]["malformed"] == 0
    violations_key = summaries[-1].replace("execution_summary.json", "constraint_violations.json")
    violations = json.loads(s3.get_object(Bucket=BUCKET, Key=violations_key)["Body"].read())["violations"]
    assert {"feature_name": "amount", "constraint_check_type": "baseline_drift_check"} in [
        {k: v[k] for k in ("feature_name", "constraint_check_type")} for v in violations]


@pytest.mark.parametrize("destination", ["firehose://", "firehose://stream/extra"])
def test_a_firehose_destination_names_one_stream(destination: str) -> None:
    assert from_environment({ENV_DESTINATION: destination, ENV_ENDPOINT: "ep"}) is None  # capture off, logged
