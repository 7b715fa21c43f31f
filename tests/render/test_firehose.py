"""Serverless capture through Firehose, rendered: the handler is pointed at the stream and may only put
records into it; the stream writes the layout the monitoring job reads. (The golden variant `firehose`
holds the whole document; test_validate and test_checkov check it against the provider and checkov.)"""

from __future__ import annotations

import json
from pathlib import Path

from render_variants import SPECS, make_project, render_spec

from fraudspec.render import RESOURCES


def _rendered(tmp_path: Path, text: str | None = None) -> dict:
    spec_file = SPECS / "firehose.yaml"
    if text is not None:
        spec_file = tmp_path / "firehose.yaml"
        spec_file.write_text(text)
    spec = make_project(tmp_path / "project", spec_file, "volume")
    return json.loads(render_spec(spec)[RESOURCES])


def _statements(document: dict, policy: str) -> dict[str, list[str]]:
    found = document["data"]["aws_iam_policy_document"][policy]["statement"]
    return {s["sid"]: s["actions"] for s in found}


def test_the_handler_puts_records_into_the_stream_and_nothing_into_s3(tmp_path: Path) -> None:
    document = _rendered(tmp_path)
    environment = document["resource"]["aws_sagemaker_model"]["model"]["primary_container"][0]["environment"]
    assert environment["FRAUDSPEC_CAPTURE_DESTINATION"] == "firehose://rc-project-a-fraud-detection-volume-capture"
    model = _statements(document, "model")
    assert model["PutCapture"] == ["firehose:PutRecord", "firehose:PutRecordBatch"] and "WriteCapture" not in model


def test_the_stream_writes_the_layout_the_monitoring_job_reads(tmp_path: Path) -> None:
    document = _rendered(tmp_path)
    s3 = document["resource"]["aws_kinesis_firehose_delivery_stream"]["capture"]["extended_s3_configuration"][0]
    settings = document["resource"]["aws_lambda_function"]["monitor"]["environment"][0]["variables"]
    capture_prefix = settings["FRAUDSPEC_CAPTURE_URI"].split("/", 3)[3]
    endpoint = settings["FRAUDSPEC_ENDPOINT_NAME"]
    assert s3["prefix"] == f"{capture_prefix}/{endpoint}/AllTraffic/!{{timestamp:yyyy/MM/dd/HH}}/"
    assert not s3["error_output_prefix"].startswith(f"{capture_prefix}/")  # failed records stay out of the window
    assert (s3["buffering_size"], s3["buffering_interval"], s3["file_extension"]) == (128, 900, ".jsonl")
    assert s3["kms_key_arn"].startswith("arn:aws:kms:") and s3["custom_time_zone"] == "UTC"
    assert _statements(document, "capture_stream")["DeliverCapture"] == ["s3:AbortMultipartUpload", "s3:PutObject"]


def test_without_firehose_the_handler_writes_s3_and_no_stream_is_rendered(tmp_path: Path) -> None:
    text = (SPECS / "firehose.yaml").read_text().replace("  firehose: {buffer_mb: 128, buffer_seconds: 900}\n", "")
    document = _rendered(tmp_path, text)
    assert "aws_kinesis_firehose_delivery_stream" not in document["resource"]
    assert "WriteCapture" in _statements(document, "model")


def test_the_high_volume_example_is_rendered_and_committed() -> None:
    from fraudspec.cli.main import main
    from fraudspec.spec.load import load_spec

    example = Path(__file__).resolve().parents[2] / "specs" / "high-volume.yaml"
    realtime, serverless = load_spec(example, "rt"), load_spec(example, "sl")
    assert realtime.endpoint.kind == "realtime" and realtime.endpoint.realtime is not None
    assert realtime.endpoint.realtime.autoscaling is not None and realtime.capture.firehose is None
    assert serverless.endpoint.kind == "serverless" and serverless.capture.firehose is not None
    assert main(["render", "--check", "--spec", str(example)]) == 0, "terraform/rt/ or sl/ is stale: render it"
