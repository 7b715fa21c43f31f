"""IAM: policy documents as `aws_iam_policy_document` data sources, and least-privilege roles.

Policies are data sources rather than JSON strings so reviewers read statements, and the
provider normalises them (no perpetual diffs from key order).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fraudspec.render.context import Context
from fraudspec.render.document import Expr, Template
from fraudspec.render.images import sklearn_image

Value = str | Expr | Template


def statement(sid: str, actions: Sequence[str], resources: Sequence[Value],
              conditions: Sequence[tuple[str, str, Sequence[Value]]] = ()) -> dict[str, Any]:
    body: dict[str, Any] = {"sid": sid, "effect": "Allow", "actions": sorted(actions), "resources": list(resources)}
    if conditions:
        body["condition"] = [{"test": test, "variable": variable, "values": list(values)}
                             for test, variable, values in conditions]
    return body


def policy_document(ctx: Context, name: str, statements: Sequence[dict[str, Any]]) -> Expr:
    return ctx.config.data("aws_iam_policy_document", name, {"statement": list(statements)})


def service_role(ctx: Context, name: str, role_name: str, service: str, description: str,
                 statements: Sequence[dict[str, Any]], *, source_account: bool = False) -> Expr:
    """A role `service` can assume, with one inline policy; returns the role's reference.

    `source_account` adds the confused-deputy guard for services that send aws:SourceAccount.
    """
    trust: dict[str, Any] = {
        "effect": "Allow",
        "actions": ["sts:AssumeRole"],
        "principals": [{"type": "Service", "identifiers": [service]}],
    }
    if source_account:
        trust["condition"] = [{"test": "StringEquals", "variable": "aws:SourceAccount", "values": [ctx.account]}]
    assume = ctx.config.data("aws_iam_policy_document", f"{name}_assume", {"statement": [trust]})
    role = ctx.config.resource("aws_iam_role", name, {
        "name": role_name,
        "description": description,
        "assume_role_policy": assume.attr("json"),
    })
    ctx.config.resource("aws_iam_role_policy", name, {
        "name": "fraudspec",
        "role": role.attr("id"),
        "policy": policy_document(ctx, name, statements).attr("json"),
    })
    return role


def kms_statements(sid: str, key_arn: str | None, actions: Sequence[str]) -> list[dict[str, Any]]:
    return [statement(sid, actions, [key_arn])] if key_arn else []


def model_role_statements(ctx: Context) -> list[dict[str, Any]]:
    """The endpoint's execution role: read its model, write capture, logs, pull its image."""
    spec, names = ctx.spec, ctx.names
    image = sklearn_image(ctx.region)
    statements = [
        statement("ReadModel", ["s3:GetObject"], [ctx.s3_arn(f"{ctx.artifacts.model.prefix}/*")]),
        statement("PullImage", ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage",
                                "ecr:GetDownloadUrlForLayer"], [image.repository_arn]),
        # GetAuthorizationToken has no resource-level permissions.
        statement("EcrLogin", ["ecr:GetAuthorizationToken"], ["*"]),
        statement("Logs", ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams",
                           "logs:PutLogEvents"],
                  [ctx.arn("logs", f"log-group:{names.endpoint_log_group}"),
                   ctx.arn("logs", f"log-group:{names.endpoint_log_group}:log-stream:*")]),
        # PutMetricData has no resource-level permissions; the namespace condition scopes it.
        statement("EndpointMetrics", ["cloudwatch:PutMetricData"], ["*"],
                  [("StringLike", "cloudwatch:namespace", ["/aws/sagemaker/Endpoints*"])]),
    ]
    if spec.capture.enabled and spec.endpoint.kind == "serverless" and spec.capture.firehose is not None:
        # The handler puts records into the capture stream (fraudspec.render.firehose), which writes S3.
        stream = ctx.arn("firehose", f"deliverystream/{names.capture_stream}")
        statements.append(statement("PutCapture", ["firehose:PutRecord", "firehose:PutRecordBatch"], [stream]))
    elif spec.capture.enabled:
        # Native capture (realtime) and the handler's capture (serverless) both write as this role.
        statements.append(statement("WriteCapture", ["s3:PutObject"], [ctx.s3_arn(f"{names.capture_prefix}/*")]))
        statements += kms_statements("CaptureKey", spec.capture.kms_key_arn, ["kms:Encrypt", "kms:GenerateDataKey"])
    return statements


def execution_role_arn(ctx: Context) -> str | Expr:
    """The spec's role, else the one fraudspec creates."""
    if ctx.spec.environment.role_arn:
        return ctx.spec.environment.role_arn
    role = service_role(ctx, "model", ctx.names.model_role, "sagemaker.amazonaws.com",
                        "SageMaker execution role of the fraudspec endpoint", model_role_statements(ctx))
    return role.attr("arn")
