"""The capture settings the local runtime and the rendered SageMaker model hand the handler: the spec's
on_failure always, its KMS key for S3 capture when there is one."""

from __future__ import annotations

from dataclasses import replace

from fraudspec.artifact.capture_settings import capture_environment
from fraudspec.artifact.handler import capture
from fraudspec.spec.model import CaptureSpec

KEY = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def test_the_handler_reads_back_what_the_spec_asks(tmp_path, make_spec):
    spec = make_spec(tmp_path)
    spec = replace(spec, capture=CaptureSpec(kms_key_arn=KEY, on_failure="drop", sampling_percent=50))
    environment = capture_environment(spec, "s3://bucket/capture")
    config = capture.config_from_environment(environment)
    assert config is not None and (config.on_failure, config.kms_key_id, config.sampling_percent) == ("drop", KEY, 50)
    assert config.metrics_namespace == spec.names.capture_metric_namespace  # on AWS the handler publishes them
    sink = capture.sink_for(config.destination, config.kms_key_id)
    assert isinstance(sink, capture.S3Sink)


def test_without_a_key_nothing_asks_for_sse_kms(tmp_path, make_spec):
    environment = capture_environment(make_spec(tmp_path), "s3://bucket/capture")
    assert capture.ENV_KMS_KEY not in environment and environment[capture.ENV_ON_FAILURE] == "fail"


def test_the_local_runtime_counts_capture_failures_itself(tmp_path, make_spec):
    assert capture.ENV_METRICS_NAMESPACE not in capture_environment(make_spec(tmp_path), (tmp_path / "c").as_uri())
