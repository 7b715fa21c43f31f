"""Upload the artifacts to their content-addressed S3 keys before Terraform runs.

A key names the sha256 of its content, so an object already there with the same recorded sha256
is skipped; one whose checksum differs (a corrupted or interrupted upload) is replaced.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from fraudspec.errors import FraudspecError
from fraudspec.render.artifacts import Artifact

SHA256_METADATA = "sha256"  # stored as x-amz-meta-sha256: the hex digest the key names
Action = Literal["uploaded", "skipped", "replaced"]


@dataclass(frozen=True)
class Published:
    artifact: Artifact
    action: Action


def publish(artifacts: Iterable[Artifact], s3: Any, *, progress: bool = True) -> list[Published]:
    return [_publish_one(artifact, s3, progress) for artifact in artifacts]


def _publish_one(artifact: Artifact, s3: Any, progress: bool) -> Published:
    existing = _existing_sha256(artifact, s3)
    if existing == artifact.sha256:
        return Published(artifact, "skipped")
    _upload(artifact, s3, progress)
    return Published(artifact, "uploaded" if existing is None else "replaced")


def _existing_sha256(artifact: Artifact, s3: Any) -> str | None:
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


def _upload(artifact: Artifact, s3: Any, progress: bool) -> None:
    from boto3.s3.transfer import TransferConfig
    from botocore.exceptions import BotoCoreError, ClientError
    from tqdm import tqdm

    size = artifact.path.stat().st_size
    with tqdm(total=size, unit="B", unit_scale=True, desc=f"upload {artifact.path.name}", disable=not progress,
              leave=False) as bar:
        callback: Callable[[int], object] = bar.update
        try:
            s3.upload_file(str(artifact.path), artifact.bucket, artifact.key,
                           ExtraArgs={"Metadata": {SHA256_METADATA: artifact.sha256}, "ChecksumAlgorithm": "SHA256"},
                           Callback=callback, Config=TransferConfig(use_threads=False))
        except ClientError as error:
            raise _client_error(artifact, error) from None
        except BotoCoreError as error:
            raise _no_aws(artifact, error) from None


def _no_aws(artifact: Artifact, error: Exception) -> FraudspecError:
    return FraudspecError(f"cannot reach {artifact.uri}: {error}",
                          hint="check AWS credentials (AWS_PROFILE, AWS_REGION) and network access")


def _client_error(artifact: Artifact, error: Any) -> FraudspecError:
    code = error.response.get("Error", {}).get("Code", "")
    if code in ("NoSuchBucket",):
        return FraudspecError(f"bucket {artifact.bucket} does not exist",
                              hint="create it (fraudspec does not manage the bucket) or fix environments.<env>.bucket")
    if code in ("403", "AccessDenied", "Forbidden"):
        return FraudspecError(f"access denied to {artifact.uri}",
                              hint="the deploying identity needs s3:GetObject and s3:PutObject on fraudspec/*")
    return FraudspecError(f"S3 error for {artifact.uri}: {code or error}")
