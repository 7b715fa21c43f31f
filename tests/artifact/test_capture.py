"""Capture inside the handler: SageMaker's record format and key layout, to file:// and to s3:// (moto)."""

from __future__ import annotations

import base64
import errno
import json
import logging
import os
import re
import threading
import time
from datetime import datetime, timedelta, timezone

import boto3
import pytest
from moto import mock_aws

from fraudspec.artifact.handler import capture
from fraudspec.artifact.loader import load_handler

ROW = {"txn_count_1h": 9, "txn_amount_1h": 900.0, "merchant_count_24h": 14, "avg_amount_7d": 35.5, "amount": 450.25}
KEY = re.compile(r"^(?P<prefix>.*)fraud-ep/blue/\d{4}/\d{2}/\d{2}/\d{2}/\d{2}-\d{2}-\d{3}-[0-9a-f-]{36}\.jsonl$")
WHEN = datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=timezone.utc)


@pytest.fixture
def capture_env(monkeypatch):
    def configure(destination: str, **extra: str) -> None:
        monkeypatch.setenv("FRAUDSPEC_CAPTURE_DESTINATION", destination)
        monkeypatch.setenv("FRAUDSPEC_ENDPOINT_NAME", "fraud-ep")
        monkeypatch.setenv("FRAUDSPEC_VARIANT_NAME", "blue")
        for name, value in extra.items():
            monkeypatch.setenv(f"FRAUDSPEC_CAPTURE_{name}", value)

    return configure


def serve(built_model):
    """A freshly loaded handler (model_fn reads the capture environment)."""
    module = load_handler(built_model[1])
    return module, module.model_fn(str(built_model[1]))


def invoke(module, model, body, content_type="application/json", accept="application/json", attributes=None):
    """The body and content type of a request the handler answered 200."""
    reply = module.handle(model, body, content_type, accept, attributes)
    assert reply.status == 200, reply.body
    return reply.body.decode(), reply.content_type


def test_file_capture_writes_sagemaker_records_under_its_key_layout(tmp_path, built_model, capture_env):
    capture_env(f"file://{tmp_path}")
    module, model = serve(built_model)
    body, _ = invoke(module, model, json.dumps(ROW), attributes="inference-id=caller-42")
    files = list(tmp_path.rglob("*.jsonl"))  # read before anything closes the file: it is flushed
    assert len(files) == 1 and KEY.match(files[0].relative_to(tmp_path).as_posix())
    records = [json.loads(line) for line in files[0].read_text().splitlines()]
    assert records == [{
        "captureData": {
            "endpointInput": {"observedContentType": "application/json", "mode": "INPUT",
                              "data": json.dumps(ROW), "encoding": "JSON"},
            "endpointOutput": {"observedContentType": "application/json", "mode": "OUTPUT",
                               "data": body, "encoding": "JSON"},
        },
        "eventMetadata": {"eventId": records[0]["eventMetadata"]["eventId"],
                          "inferenceTime": records[0]["eventMetadata"]["inferenceTime"],
                          "inferenceId": "caller-42"},
        "eventVersion": "0",
    }]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", records[0]["eventMetadata"]["inferenceTime"])
    hour = files[0].parent.relative_to(tmp_path / "fraud-ep" / "blue").as_posix()
    assert records[0]["eventMetadata"]["inferenceTime"][:13].replace("-", "/").replace("T", "/") == hour

    invoke(module, model, "9,900.0,14,35.5,450.25\n1,2,3,4,5", "text/csv", accept="text/csv")
    second = json.loads(files[0].read_text().splitlines()[1])  # same hour: same file
    assert second["captureData"]["endpointInput"] == {
        "observedContentType": "text/csv", "mode": "INPUT", "data": "9,900.0,14,35.5,450.25\n1,2,3,4,5",
        "encoding": "CSV"}
    assert second["captureData"]["endpointOutput"]["encoding"] == "CSV"
    # Without a caller's id the handler makes one: every record can be joined to ground truth.
    assert re.fullmatch(r"[0-9a-f-]{36}", second["eventMetadata"]["inferenceId"])
    assert module.capturer.captured == 2 and module.capturer.failures == 0


def test_s3_capture_puts_one_object_per_record(built_model, capture_env, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    with mock_aws():
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket="captures")
        capture_env("s3://captures/datacapture/")
        module, model = serve(built_model)
        for inference_id in ("a", "b"):
            invoke(module, model, json.dumps([ROW, ROW]), attributes=f"trace=1; inference-id={inference_id}")
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket="captures")["Contents"]]
        assert len(keys) == 2
        assert all(KEY.match(k)["prefix"] == "datacapture/" for k in keys)
        records = [json.loads(s3.get_object(Bucket="captures", Key=k)["Body"].read()) for k in keys]
        assert sorted(r["eventMetadata"]["inferenceId"] for r in records) == ["a", "b"]
        assert json.loads(records[0]["captureData"]["endpointInput"]["data"]) == [ROW, ROW]


def test_with_on_failure_drop_a_failing_capture_never_fails_the_prediction(tmp_path, built_model, capture_env,
                                                                             caplog):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    capture_env(f"file://{blocker}", ON_FAILURE="drop")
    module, model = serve(built_model)
    with caplog.at_level(logging.WARNING, logger="fraudspec.capture"):
        body, _ = invoke(module, model, json.dumps(ROW))
        invoke(module, model, json.dumps(ROW))
    assert "fraud_probability" in json.loads(body)
    assert module.capturer.failures == 2 and module.capturer.captured == 0
    assert "data capture failed (2 failure(s) so far)" in caplog.text


def test_s3_put_failures_are_counted(built_model, capture_env, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    with mock_aws():
        capture_env("s3://no-such-bucket", ON_FAILURE="drop")
        module, model = serve(built_model)
        assert "is_fraud" in json.loads(invoke(module, model, json.dumps(ROW))[0])
    assert module.capturer.failures == 1


@pytest.mark.parametrize(
    ("settings", "problem"),
    [
        ({"FRAUDSPEC_CAPTURE_DESTINATION": "ftp://host/x", "FRAUDSPEC_ENDPOINT_NAME": "e"}, "must be s3://"),
        ({"FRAUDSPEC_CAPTURE_DESTINATION": "file://relative/dir", "FRAUDSPEC_ENDPOINT_NAME": "e"}, "must be s3://"),
        ({"FRAUDSPEC_CAPTURE_DESTINATION": "s3://b"}, "FRAUDSPEC_ENDPOINT_NAME must be set"),
        ({"FRAUDSPEC_CAPTURE_DESTINATION": "s3://b", "FRAUDSPEC_ENDPOINT_NAME": "e",
          "FRAUDSPEC_CAPTURE_SAMPLING_PERCENT": "150"}, "from 0 to 100, got '150'"),
        ({"FRAUDSPEC_CAPTURE_DESTINATION": "s3://b", "FRAUDSPEC_ENDPOINT_NAME": "e",
          "FRAUDSPEC_CAPTURE_MODES": "input,headers"}, "input and/or output"),
        ({"FRAUDSPEC_CAPTURE_DESTINATION": "s3://b", "FRAUDSPEC_ENDPOINT_NAME": "e",
          "FRAUDSPEC_CAPTURE_ON_FAILURE": "ignore"}, "must be fail or drop, got 'ignore'"),
    ],
)
def test_a_bad_configuration_disables_capture_with_a_logged_reason(settings, problem, caplog):
    with caplog.at_level(logging.ERROR, logger="fraudspec.capture"):
        assert capture.from_environment(settings) is None
    assert "data capture disabled" in caplog.text and problem in caplog.text


def test_configuration_defaults():
    environ = {"FRAUDSPEC_CAPTURE_DESTINATION": "s3://b/p", "FRAUDSPEC_ENDPOINT_NAME": "e"}
    config = capture.config_from_environment(environ)
    assert config == capture.CaptureConfig("s3://b/p", "e", "AllTraffic", 100.0, ("input", "output"))
    assert capture.config_from_environment({}) is None


class Recorder:
    def __init__(self):
        self.writes = []

    def write(self, hour_key, file_name, line):
        self.writes.append((hour_key, file_name, json.loads(line)))

    def close(self):
        pass


def test_sampling_percent_and_modes():
    config = capture.CaptureConfig("s3://b", "fraud-ep", "blue", sampling_percent=25.0, modes=("input",))
    draws = iter([0.1, 0.3, 0.2499, 0.25])
    sink = Recorder()
    capturer = capture.Capturer(config, sink, sample=lambda: next(draws), clock=lambda: WHEN)
    for _ in range(4):
        capturer.capture("{}", "application/json", "{}", "application/json")
    assert len(sink.writes) == 2 and capturer.captured == 2
    hour_key, file_name, record = sink.writes[0]
    assert hour_key == "fraud-ep/blue/2024/05/06/07"
    assert file_name.startswith("08-09-123-") and file_name.endswith(".jsonl")
    assert set(record["captureData"]) == {"endpointInput"}
    assert record["eventMetadata"]["inferenceTime"] == "2024-05-06T07:08:09Z"


def test_binary_and_unknown_content_types_are_base64():
    record = capture.record(b"\x00\xff", "text/csv", "ok", "application/x-npy", modes=capture.MODES,
                            event_id="e", when=WHEN)
    assert record["captureData"]["endpointInput"]["encoding"] == "BASE64"
    assert base64.b64decode(record["captureData"]["endpointInput"]["data"]) == b"\x00\xff"
    assert record["captureData"]["endpointOutput"] == {
        "observedContentType": "application/x-npy", "mode": "OUTPUT", "data": base64.b64encode(b"ok").decode(),
        "encoding": "BASE64"}


def test_file_sink_keeps_one_file_per_hour(tmp_path):
    times = iter([WHEN, WHEN + timedelta(minutes=30), WHEN + timedelta(hours=1)])
    config = capture.CaptureConfig(f"file://{tmp_path}", "fraud-ep", "blue")
    capturer = capture.Capturer(config, clock=lambda: next(times))
    for _ in range(3):
        capturer.capture("1,2", "text/csv", "0", "text/csv")
    capturer.close()
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.jsonl"))
    assert [f.rsplit("/", 1)[0] for f in files] == ["fraud-ep/blue/2024/05/06/07", "fraud-ep/blue/2024/05/06/08"]
    assert files[0].split("/")[-1].startswith("08-09-123-")  # named after the hour's first record
    assert len((tmp_path / files[0]).read_text().splitlines()) == 2


def test_with_on_failure_fail_an_uncaptured_request_is_503_and_never_200(tmp_path, built_model, capture_env):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    capture_env(f"file://{blocker}")  # on_failure defaults to fail
    module, model = serve(built_model)
    reply = module.handle(model, json.dumps(ROW), "application/json", None, "inference-id=r1")
    assert reply.status == 503 and "retry" in json.loads(reply.body)["error"]
    assert reply.headers == {"X-Amzn-SageMaker-Custom-Attributes": "inference-id=r1"}
    assert module.capturer.failures == 1


def test_the_response_carries_the_captured_id_and_refuses_ids_over_64_characters(tmp_path, built_model,
                                                                                 capture_env):
    capture_env(f"file://{tmp_path}")
    module, model = serve(built_model)
    given = module.handle(model, json.dumps(ROW), "application/json", None, "inference-id=" + "x" * 64)
    made = module.handle(model, json.dumps(ROW), "application/json", None)
    too_long = module.handle(model, json.dumps(ROW), "application/json", None, "inference-id=" + "x" * 65)
    assert given.headers["X-Amzn-SageMaker-Custom-Attributes"] == "inference-id=" + "x" * 64
    assert too_long.status == 400 and "1 to 64" in json.loads(too_long.body)["error"]
    records = [json.loads(line) for f in tmp_path.rglob("*.jsonl") for line in f.read_text().splitlines()]
    assert [r["eventMetadata"]["inferenceId"] for r in records] == ["x" * 64, made.inference_id]
    assert made.headers["X-Amzn-SageMaker-Custom-Attributes"] == f"inference-id={made.inference_id}"


def test_s3_capture_is_encrypted_with_the_spec_kms_key(built_model, capture_env, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    with mock_aws():
        key_arn = boto3.client("kms").create_key()["KeyMetadata"]["Arn"]
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket="captures")
        capture_env("s3://captures/datacapture", KMS_KEY_ID=key_arn)
        module, model = serve(built_model)
        invoke(module, model, json.dumps(ROW))
        (key,) = [o["Key"] for o in s3.list_objects_v2(Bucket="captures")["Contents"]]
        head = s3.head_object(Bucket="captures", Key=key)
    assert head["ServerSideEncryption"] == "aws:kms" and head["SSEKMSKeyId"] == key_arn


class DiskFull:
    """os.write failing with ENOSPC while `full`, after writing `partial` bytes of a record first."""

    def __init__(self, monkeypatch, partial: int = 10):
        self.full = False
        real = capture.os.write

        def write(fd, data):
            if self.full:
                if partial and len(data) > partial:
                    real(fd, data[:partial])  # a short write, then the disk is full
                raise OSError(errno.ENOSPC, "No space left on device")
            return real(fd, data)

        monkeypatch.setattr(capture.os, "write", write)


def test_capture_on_a_full_disk_keeps_whole_lines_and_recovers_by_itself(tmp_path, built_model, capture_env,
                                                                          monkeypatch):
    capture_env(f"file://{tmp_path}")
    module, model = serve(built_model)
    disk = DiskFull(monkeypatch)
    statuses = []
    for full in (False, True, True, False, False):
        disk.full = full
        statuses.append(module.handle(model, json.dumps(ROW), "application/json", None).status)
    assert statuses == [200, 503, 503, 200, 200]
    lines = [line for f in tmp_path.rglob("*.jsonl") for line in f.read_text().splitlines()]
    assert len(lines) == 3 and all(json.loads(line)["captureData"] for line in lines)  # no half-written line
    assert module.capturer.failures == 2 and module.capturer.captured == 3


def test_file_sink_syncs_in_the_background_within_the_interval_and_at_close(tmp_path, monkeypatch):
    synced = []
    monkeypatch.setattr(capture, "SYNC_SECONDS", 0.05)

    def fdatasync(fd):  # os.fdatasync for every thread: count this sink's file only
        if os.readlink(f"/proc/self/fd/{fd}").startswith(str(tmp_path)):
            synced.append(threading.current_thread().name)

    monkeypatch.setattr(capture.os, "fdatasync", fdatasync)
    sink = capture.FileSink(str(tmp_path))
    sink.write("e/v/2024/05/06/07", "a.jsonl", "{}")
    assert synced == []  # the writer never waits for the disk
    deadline = time.monotonic() + 5
    while not synced and time.monotonic() < deadline:
        time.sleep(0.01)
    assert synced == ["capture-sync"]
    time.sleep(0.2)
    assert synced == ["capture-sync"]  # nothing written since: nothing to sync
    sink.close()
    assert synced[1:] == [threading.current_thread().name]


def test_a_capture_file_that_cannot_be_opened_is_opened_again_by_the_next_record(tmp_path, monkeypatch):
    real_open = capture.os.open
    full = [True]

    def open_file(path, flags, mode=0o777):
        if full[0]:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_open(path, flags, mode)

    monkeypatch.setattr(capture.os, "open", open_file)
    sink = capture.FileSink(str(tmp_path))
    with pytest.raises(OSError, match="No space left"):
        sink.write("e/v/2024/05/06/07", "a.jsonl", '{"n": 1}')
    full[0] = False
    sink.write("e/v/2024/05/06/07", "a.jsonl", '{"n": 2}')
    sink.close()
    assert (tmp_path / "e/v/2024/05/06/07/a.jsonl").read_text() == '{"n": 2}\n'


def test_on_aws_each_capture_failure_is_published_as_a_cloudwatch_metric(built_model, capture_env, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    with mock_aws():
        capture_env("s3://no-such-bucket", ON_FAILURE="drop", METRICS_NAMESPACE="/aws/sagemaker/Endpoints/capture")
        module, model = serve(built_model)
        for _ in range(2):
            invoke(module, model, json.dumps(ROW))
        cloudwatch = boto3.client("cloudwatch")
        listed = cloudwatch.list_metrics(Namespace="/aws/sagemaker/Endpoints/capture")["Metrics"]
        metric = listed[0]  # moto lists a metric once per datapoint put
        assert all(m == metric for m in listed)
        total = cloudwatch.get_metric_statistics(
            Namespace=metric["Namespace"], MetricName=metric["MetricName"], Dimensions=metric["Dimensions"],
            StartTime=datetime.now(timezone.utc) - timedelta(hours=1), EndTime=datetime.now(timezone.utc) + timedelta(
                minutes=1), Period=3600, Statistics=["Sum"])["Datapoints"][0]["Sum"]
    assert metric["MetricName"] == "CaptureFailures" and total == 2.0
    assert {d["Name"]: d["Value"] for d in metric["Dimensions"]} == {"EndpointName": "fraud-ep", "VariantName": "blue"}
