"""Serverless capture through Amazon Data Firehose (`capture.firehose`): the delivery stream the handler
puts each sampled record into, and its role.

The stream writes newline-delimited objects (the handler ends each record with a newline) in
SageMaker's capture layout, `{capture prefix}/{endpoint}/{variant}/yyyy/mm/dd/hh/*.jsonl` by the
arrival hour in UTC, which the monitoring job reads unchanged; records it cannot deliver go under
the capture-errors prefix, outside that layout. Objects are encrypted with `capture.kms_key_arn`
when the spec names one (SSE-KMS), else by the bucket's default; the stream's own buffer with the
environment's key.
"""

from __future__ import annotations

from typing import Any

from fraudspec.render import iam
from fraudspec.render.context import Context
from fraudspec.render.document import Bare, Expr, Template

FILE_EXTENSION = ".jsonl"  # what the capture reader lists (SageMaker's own extension)


def uses_firehose(ctx: Context) -> bool:
    spec = ctx.spec
    return spec.endpoint.kind == "serverless" and spec.capture.enabled and spec.capture.firehose is not None


def render_capture_stream(ctx: Context, key: Expr) -> None:
    if not uses_firehose(ctx):
        return
    spec, names = ctx.spec, ctx.names
    firehose = spec.capture.firehose
    assert firehose is not None  # uses_firehose
    role = iam.service_role(ctx, "capture_stream", names.capture_stream_role, "firehose.amazonaws.com",
                            "Firehose: deliver serverless capture to S3", _statements(ctx), source_account=True)
    destination: dict[str, Any] = {
        "role_arn": role.attr("arn"),
        "bucket_arn": ctx.bucket_arn,
        "prefix": f"{names.capture_prefix}/{names.endpoint}/{names.variant}/!{{timestamp:yyyy/MM/dd/HH}}/",
        "error_output_prefix": f"{names.capture_errors_prefix}/{names.endpoint}/"
                               "!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd/HH}/",
        "buffering_size": firehose.buffer_mb,
        "buffering_interval": firehose.buffer_seconds,
        "compression_format": "UNCOMPRESSED",
        "custom_time_zone": "UTC",
        "file_extension": FILE_EXTENSION,
    }
    if spec.capture.kms_key_arn:
        destination["kms_key_arn"] = spec.capture.kms_key_arn
    ctx.config.resource("aws_kinesis_firehose_delivery_stream", "capture", {
        "name": names.capture_stream,
        "destination": "extended_s3",
        "server_side_encryption": [{"enabled": True, "key_type": "CUSTOMER_MANAGED_CMK", "key_arn": key.attr("arn")}],
        "extended_s3_configuration": [destination],
        "depends_on": [Bare("aws_iam_role_policy.capture_stream")],
    })


def stream_arn(ctx: Context) -> str | Template:
    return ctx.arn("firehose", f"deliverystream/{ctx.names.capture_stream}")


def _statements(ctx: Context) -> list[dict[str, Any]]:
    names = ctx.names
    statements = [
        iam.statement("DeliverCapture", ["s3:PutObject", "s3:AbortMultipartUpload"],
                      [ctx.s3_arn(f"{names.capture_prefix}/{names.endpoint}/*"),
                       ctx.s3_arn(f"{names.capture_errors_prefix}/{names.endpoint}/*")]),
        iam.statement("LocateBucket", ["s3:GetBucketLocation", "s3:ListBucketMultipartUploads"], [ctx.bucket_arn]),
    ]
    statements += iam.kms_statements("CaptureKey", ctx.spec.capture.kms_key_arn, ["kms:GenerateDataKey", "kms:Decrypt"])
    return statements
