"""Artifacts in S3 at their content-addressed keys: upload, copy between buckets, verify.

A key names the sha256 of its content, so an object already there with the same recorded sha256
is skipped; one whose checksum differs (a corrupted or interrupted upload) is replaced. Copies
(`fraudspec promote`) are verified by hashing the stored bytes, not by trusting metadata.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from fraudspec.core.errors import FraudspecError
from fraudspec.lock.layout import SHORT_DIGEST, Artifact

SHA256_METADATA = "sha256"  # stored as x-amz-meta-sha256: the hex digest the key names
Action = Literal["uploaded", "skipped", "replaced"]


@dataclass(frozen=True)
class Published:
    artifact: Artifact
    action: Action


def publish(artifacts: Iterable[Artifact], sources: Mapping[str, Path], s3: Any, *, missing_hint: str,
            progress: bool = True) -> list[Published]:
    """Make sure every artifact is in S3 once; `sources` are local files by sha256 (fraudspec.deploy.sources),
    already checked against the lock. The champion's and each challenger's artifacts go alike: an artifact
    two variants share (the same digest, so the same key) is published once."""
    unique = {artifact.uri: artifact for artifact in artifacts}.values()
    return [_publish_one(artifact, sources.get(artifact.sha256), s3, missing_hint, progress) for artifact in unique]


def _publish_one(artifact: Artifact, source: Path | None, s3: Any, missing_hint: str, progress: bool) -> Published:
    existing = existing_sha256(artifact, s3)
    if existing == artifact.sha256:
        return Published(artifact, "skipped")
    if source is None:
        raise FraudspecError(f"{artifact.uri} is not in S3 and no local file has sha256 {artifact.short_digest}",
                             hint=missing_hint)
    upload(artifact, source, s3, progress)
    return Published(artifact, "uploaded" if existing is None else "replaced")


def require_bucket(bucket: str, s3: Any) -> None:
    """The environment's bucket exists and this identity may use it, else a user error saying so."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        s3.head_bucket(Bucket=bucket)
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        if code in ("404", "NoSuchBucket", "NotFound"):
            raise _missing_bucket(bucket) from None
        if code in ("403", "AccessDenied", "Forbidden"):
            raise FraudspecError(f"access denied to bucket {bucket}",
                                 hint="the deploying identity needs s3:ListBucket, s3:GetObject and s3:PutObject "
                                 "on it") from None
        raise FraudspecError(f"S3 error for bucket {bucket}: {code or error}") from None
    except BotoCoreError as error:
        raise FraudspecError(f"cannot reach bucket {bucket}: {error}",
                             hint="check AWS credentials (AWS_PROFILE, AWS_REGION) and network access") from None


def existing_sha256(artifact: Artifact, s3: Any) -> str | None:
    """The sha256 recorded on the object; "" for an object without one; None when absent."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        head = s3.head_object(Bucket=artifact.bucket, Key=artifact.key)
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        if code in ("404", "NoSuchKey", "NotFound"):
            return None
        raise _client_error(artifact, error) from None
    except BotoCoreError as error:
        raise _no_aws(artifact, error) from None
    return head.get("Metadata", {}).get(SHA256_METADATA, "")


def upload(artifact: Artifact, source: Path, s3: Any, progress: bool) -> None:
    from boto3.s3.transfer import TransferConfig
    from tqdm import tqdm

    size = source.stat().st_size
    with tqdm(total=size, unit="B", unit_scale=True, desc=f"upload {artifact.filename}", disable=not progress,
              leave=False) as bar:
        callback: Callable[[int], object] = bar.update
        _call(artifact, lambda: s3.upload_file(
            str(source), artifact.bucket, artifact.key,
            ExtraArgs={"Metadata": {SHA256_METADATA: artifact.sha256}, "ChecksumAlgorithm": "SHA256"},
            Callback=callback, Config=TransferConfig(use_threads=False)))


def copy(source: Artifact, target: Artifact, s3: Any) -> None:
    """Server-side copy of the same content to another bucket (same key, sha256 recorded)."""
    _call(target, lambda: s3.copy_object(
        Bucket=target.bucket, Key=target.key, CopySource={"Bucket": source.bucket, "Key": source.key},
        MetadataDirective="REPLACE", Metadata={SHA256_METADATA: target.sha256}, ChecksumAlgorithm="SHA256"))


def verify(artifact: Artifact, s3: Any) -> None:
    """Hash the stored bytes; an object that does not match its key is deleted, then refused."""
    digest = hashlib.sha256()

    def read() -> None:
        body = s3.get_object(Bucket=artifact.bucket, Key=artifact.key)["Body"]
        for block in iter(lambda: body.read(1 << 20), b""):
            digest.update(block)

    _call(artifact, read)
    if digest.hexdigest() != artifact.sha256:
        _call(artifact, lambda: s3.delete_object(Bucket=artifact.bucket, Key=artifact.key))
        held = digest.hexdigest()[:SHORT_DIGEST]
        raise FraudspecError(f"{artifact.uri} held sha256 {held}, not {artifact.short_digest}; the object was deleted",
                             hint="run the command again to copy it afresh")


def _call(artifact: Artifact, action: Callable[[], object]) -> None:
    from boto3.exceptions import S3UploadFailedError
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        action()
    except ClientError as error:
        raise _client_error(artifact, error) from None
    except BotoCoreError as error:
        raise _no_aws(artifact, error) from None
    except S3UploadFailedError as error:  # upload_file wraps the ClientError in a message
        if "NoSuchBucket" in str(error):
            raise _missing_bucket(artifact.bucket) from None
        raise FraudspecError(f"upload to {artifact.uri} failed: {error}") from None


def _no_aws(artifact: Artifact, error: Exception) -> FraudspecError:
    return FraudspecError(f"cannot reach {artifact.uri}: {error}",
                          hint="check AWS credentials (AWS_PROFILE, AWS_REGION) and network access")


def _client_error(artifact: Artifact, error: Any) -> FraudspecError:
    code = error.response.get("Error", {}).get("Code", "")
    if code in ("NoSuchBucket",):
        return _missing_bucket(artifact.bucket)
    if code in ("403", "AccessDenied", "Forbidden"):
        return FraudspecError(f"access denied to {artifact.uri}",
                              hint="the deploying identity needs s3:GetObject and s3:PutObject on fraudspec/*")
    return FraudspecError(f"S3 error for {artifact.uri}: {code or error}")


def _missing_bucket(bucket: str) -> FraudspecError:
    return FraudspecError(f"bucket {bucket} does not exist",
                          hint=f"create it (`aws s3 mb s3://{bucket}`; fraudspec does not manage the bucket) or fix "
                          "environments.<env>.bucket")
