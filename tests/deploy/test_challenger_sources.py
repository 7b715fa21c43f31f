"""`apply`'s sources and uploads for challengers: each variant's files from its own folder, refused when they
are not what the lock says, published once each; a promoted entry's from the source environment's folders."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from fraudspec.core.errors import FraudspecError
from fraudspec.deploy.promote import promote
from fraudspec.deploy.publish import publish
from fraudspec.deploy.sources import local_sources
from fraudspec.lock.file import lock_path, read_lock
from fraudspec.render.artifacts import artifacts_from_lock
from fraudspec.spec.load import load_spec
from tests.lock.challenger_project import AB, SHADOW, built_project, fixture_bytes, spec_text

DEV_BUCKET, STAGING_BUCKET, REGION = "acme-sm-rc-project-a", "acme-sm-rc-staging", "ap-southeast-1"


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch):
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        client = boto3.client("s3", region_name=REGION)
        for bucket in (DEV_BUCKET, STAGING_BUCKET):
            client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
        yield client


@pytest.fixture
def no_lambda_build(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fixture's stand-in monitor.zip stays as it is (building the real one is the Lambda tests' job)."""
    from fraudspec.deploy import lambda_package

    monkeypatch.setattr(lambda_package, "build", lambda spec: None)


def test_every_variants_files_are_sources_and_each_is_uploaded_once(tmp_path: Path, s3, no_lambda_build) -> None:
    spec = built_project(tmp_path, spec_text(AB))
    lock = read_lock(lock_path(spec.path))
    entry = lock.environments["dev"]
    sources = local_sources(spec, entry)
    for name in ("deep", "gbm"):
        for kind, locked in entry.variants[name].items():
            assert sources[locked.sha256].read_bytes() == fixture_bytes(kind, name)
    artifacts = artifacts_from_lock(spec, lock).all()
    published = publish(artifacts, sources, s3, missing_hint="", progress=False)
    assert [p.action for p in published] == ["uploaded"] * 4 + ["uploaded"] * 6
    for name in ("deep", "gbm"):
        model = entry.variants[name]["model"]
        key = model.uri.split("/", 3)[3]
        assert s3.get_object(Bucket=DEV_BUCKET, Key=key)["Body"].read() == fixture_bytes("model", name)
    assert {p.action for p in publish(artifacts, {}, s3, missing_hint="", progress=False)} == {"skipped"}


def test_a_challengers_file_that_is_not_the_locked_one_is_refused(tmp_path: Path, no_lambda_build) -> None:
    spec = built_project(tmp_path, spec_text(SHADOW))
    (spec.for_variant("gbm").workspace.model_tar).write_bytes(b"retrained without locking\n")
    with pytest.raises(FraudspecError, match=r"gbm/model/model.tar.gz is sha256 .* for challenger gbm for dev"):
        local_sources(spec, read_lock(lock_path(spec.path)).environments["dev"])


def test_a_promoted_entrys_challengers_come_from_the_source_folders(tmp_path: Path, s3, no_lambda_build) -> None:
    dev = built_project(tmp_path, spec_text(SHADOW))
    staging = load_spec(dev.path, "staging")
    promote(dev, staging, s3, progress=False)
    entry = read_lock(lock_path(dev.path)).environments["staging"]
    sources = local_sources(staging, entry)
    gbm = entry.variants["gbm"]
    assert sources[gbm["model"].sha256] == dev.for_variant("gbm").workspace.model_tar
    assert len(sources) == 4 + 3


def test_promotion_refuses_a_target_whose_challengers_differ(tmp_path: Path, s3) -> None:
    text = spec_text(SHADOW).replace(
        "      endpoint: {realtime: {instance_type: ml.m5.large, instance_count: 3}}",
        "      endpoint:\n        challengers:\n"
        "          - {variant: gbm, mode: shadow, percent: 30, model: {algorithm: logistic_regression}}")
    dev = built_project(tmp_path, text)
    with pytest.raises(FraudspecError, match=r"staging's spec asks for other artifacts than dev's: challengers.gbm"):
        promote(dev, load_spec(dev.path, "staging"), s3, progress=False)
