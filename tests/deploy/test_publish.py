"""Content-addressed S3 against moto: upload once, skip the same checksum, repair a bad one, copy and verify."""

from __future__ import annotations

import hashlib
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from fraudspec.core.errors import FraudspecError
from fraudspec.deploy.publish import copy, publish, verify
from fraudspec.lock.layout import Artifact, locate

BUCKET = "artifacts"


def _artifact(tmp_path: Path, name: str, content: bytes, bucket: str = BUCKET) -> tuple[Artifact, Path]:
    path = tmp_path / name
    path.write_bytes(content)
    kind = "model" if name.endswith(".tar.gz") else "statistics"
    return locate("demo", bucket, kind, hashlib.sha256(content).hexdigest()), path


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        yield client


def test_uploads_then_skips_the_same_content(s3, tmp_path: Path) -> None:
    artifact, path = _artifact(tmp_path, "model.tar.gz", b"model bytes")
    sources = {artifact.sha256: path}
    assert [p.action for p in publish([artifact], sources, s3, missing_hint="", progress=False)] == ["uploaded"]
    stored = s3.get_object(Bucket=BUCKET, Key=artifact.key)
    assert stored["Body"].read() == b"model bytes"
    assert stored["Metadata"] == {"sha256": artifact.sha256}
    assert artifact.key == f"fraudspec/demo/models/sha256/{artifact.sha256}/model.tar.gz"
    assert [p.action for p in publish([artifact], {}, s3, missing_hint="", progress=False)] == ["skipped"]


def test_replaces_an_object_whose_checksum_differs(s3, tmp_path: Path) -> None:
    artifact, path = _artifact(tmp_path, "statistics.json", b"{}")
    s3.put_object(Bucket=BUCKET, Key=artifact.key, Body=b"truncated", Metadata={"sha256": "0" * 64})
    published = publish([artifact], {artifact.sha256: path}, s3, missing_hint="", progress=False)
    assert [p.action for p in published] == ["replaced"]
    assert s3.get_object(Bucket=BUCKET, Key=artifact.key)["Body"].read() == b"{}"


def test_an_artifact_neither_in_s3_nor_local_names_the_fix(s3, tmp_path: Path) -> None:
    artifact, _ = _artifact(tmp_path, "model.tar.gz", b"model bytes")
    with pytest.raises(FraudspecError, match="is not in S3 and no local file has sha256") as error:
        publish([artifact], {}, s3, missing_hint="build it: `fraudspec build --env dev`", progress=False)
    assert error.value.hint == "build it: `fraudspec build --env dev`"


def test_copies_between_buckets_and_verifies_the_bytes(s3, tmp_path: Path) -> None:
    s3.create_bucket(Bucket="staging")
    artifact, path = _artifact(tmp_path, "model.tar.gz", b"model bytes")
    publish([artifact], {artifact.sha256: path}, s3, missing_hint="", progress=False)
    target = locate("demo", "staging", "model", artifact.sha256)
    copy(artifact, target, s3)
    verify(target, s3)
    stored = s3.get_object(Bucket="staging", Key=target.key)
    assert stored["Body"].read() == b"model bytes" and stored["Metadata"] == {"sha256": artifact.sha256}


def test_verify_deletes_an_object_that_does_not_match_its_key(s3, tmp_path: Path) -> None:
    artifact, _ = _artifact(tmp_path, "model.tar.gz", b"model bytes")
    s3.put_object(Bucket=BUCKET, Key=artifact.key, Body=b"other bytes", Metadata={"sha256": artifact.sha256})
    with pytest.raises(FraudspecError, match=f"held sha256 {hashlib.sha256(b'other bytes').hexdigest()[:12]}"):
        verify(artifact, s3)
    assert s3.list_objects_v2(Bucket=BUCKET).get("KeyCount") == 0


def test_missing_bucket_is_a_user_error(s3, tmp_path: Path) -> None:
    artifact, path = _artifact(tmp_path, "model.tar.gz", b"x", bucket="no-such-bucket")
    with pytest.raises(FraudspecError, match="bucket no-such-bucket does not exist") as error:
        publish([artifact], {artifact.sha256: path}, s3, missing_hint="", progress=False)
    assert "fraudspec does not manage the bucket" in error.value.hint


def test_missing_credentials_are_a_user_error(tmp_path: Path) -> None:
    from botocore.exceptions import NoCredentialsError

    class NoCredentials:
        def head_object(self, **_: object) -> dict:
            raise NoCredentialsError()

    artifact, path = _artifact(tmp_path, "model.tar.gz", b"x")
    with pytest.raises(FraudspecError, match="Unable to locate credentials") as error:
        publish([artifact], {artifact.sha256: path}, NoCredentials(), missing_hint="", progress=False)
    assert "AWS_PROFILE" in error.value.hint
