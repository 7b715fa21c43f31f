"""Invoking a deployed SageMaker endpoint (`fraudspec invoke`/`traffic` on aws targets)."""

from __future__ import annotations

from typing import Any

from fraudspec.client.http import Answer, Call, Request, captured_id, custom_attributes
from fraudspec.core.errors import FraudspecError
from fraudspec.spec.model import Spec


def runtime_client(spec: Spec) -> Any:
    import boto3

    return boto3.client("sagemaker-runtime", region_name=spec.environment.region)


def endpoint_caller(client: Any, endpoint: str) -> Call:
    """A caller of the SageMaker endpoint (boto3 clients are thread-safe: workers share one)."""
    return lambda request: invoke(client, endpoint, request)


def invoke(client: Any, endpoint: str, request: Request) -> Answer:
    from botocore.exceptions import BotoCoreError, ClientError

    # CustomAttributes reach the handler (serverless capture); InferenceId SageMaker's own capture (realtime).
    extra = {"InferenceId": request.inference_id, "CustomAttributes": custom_attributes(request.inference_id)} \
        if request.inference_id else {}
    if request.target_variant:
        extra["TargetVariant"] = request.target_variant
    try:
        response = client.invoke_endpoint(EndpointName=endpoint, Body=request.body, ContentType=request.content_type,
                                          Accept=request.accept, **extra)
    except ClientError as error:
        meta = error.response.get("ResponseMetadata", {})
        return Answer(meta.get("HTTPStatusCode", 400), str(error).encode(), "text/plain")
    except BotoCoreError as error:
        raise FraudspecError(
            f"cannot reach endpoint {endpoint}: {error}",
            hint="check AWS credentials and region, and `fraudspec apply` for this environment",
        ) from None
    return Answer(200, response["Body"].read(), response.get("ContentType", ""),
                  captured_id(response.get("CustomAttributes")), response.get("InvokedProductionVariant"))
