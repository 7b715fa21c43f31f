"""Content-addressed uploads against moto S3: upload once, skip the same checksum, repair a bad one."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from fraudspec.deploy.publish import publish
from fraudspec.errors import FraudspecError
from fraudspec.render.artifacts import Artifact, sha256_file

BUCKET = "artifacts"


def _artifact(tmp_path: Path, name: str, content: bytes, bucket: str = BUCKET) -> Artifact:
    path = tmp_path / name
    path.write_bytes(content)
    return Artifact(path, sha256_file(path), bucket, "fraudspec/demo/models")


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
    artifact = _artifact(tmp_path, "model.tar.gz", b"model bytes")
    assert [p.action for p in publish([artifact], s3, progress=False)] == ["uploaded"]
    stored = s3.get_object(Bucket=BUCKET, Key=artifact.key)
    assert stored["Body"].read() == b"model bytes"
    assert stored["Metadata"] == {"sha256": artifact.sha256}
    assert artifact.key == f"fraudspec/demo/models/sha256/{artifact.sha256}/model.tar.gz"
    assert [p.action for p in publish([artifact], s3, progress=False)] == ["skipped"]


def test_replaces_an_object_whose_checksum_differs(s3, tmp_path: Path) -> None:
    artifact = _artifact(tmp_path, "statistics.json", b"{}")
    s3.put_object(Bucket=BUCKET, Key=artifact.key, Body=b"truncated", Metadata={"sha256": "0" * 64})
    assert [p.action for p in publish([artifact], s3, progress=False)] == ["replaced"]
    assert s3.get_object(Bucket=BUCKET, Key=artifact.key)["Body"].read() == b"{}"


def test_missing_bucket_is_a_user_error(s3, tmp_path: Path) -> None:
    artifact = _artifact(tmp_path, "model.tar.gz", b"x", bucket="no-such-bucket")
    with pytest.raises(FraudspecError, match="bucket no-such-bucket does not exist") as error:
        publish([artifact], s3, progress=False)
    assert "fraudspec does not manage the bucket" in error.value.hint


def test_missing_credentials_are_a_user_error(tmp_path: Path) -> None:
    from botocore.exceptions import NoCredentialsError

    class NoCredentials:
        def head_object(self, **_: object) -> dict:
            raise NoCredentialsError()

    with pytest.raises(FraudspecError, match="Unable to locate credentials") as error:
        publish([_artifact(tmp_path, "model.tar.gz", b"x")], NoCredentials(), progress=False)
    assert "AWS_PROFILE" in error.value.hint
