"""Terraform outputs: what `fraudspec apply` prints, and a ready-to-paste invocation."""

from __future__ import annotations

import json
from typing import Any

from fraudspec.render.context import Context
from fraudspec.render.document import Expr
from fraudspec.spec.model import Spec

SMOKE_CATEGORY = "smoke-test"  # an unseen category encodes as "none of the known ones"


def smoke_payload(spec: Spec) -> dict[str, Any]:
    """One valid record for the endpoint's JSON interface: every feature, neutral values."""
    return {f.name: (SMOKE_CATEGORY if f.type == "categorical" else 0.0) for f in spec.model.features}


def render_outputs(ctx: Context, endpoint: Expr) -> None:
    names, region = ctx.names, ctx.region
    body = json.dumps(smoke_payload(ctx.spec), sort_keys=True)
    outputs: dict[str, Any] = {
        "endpoint_name": endpoint.attr("name"),
        "endpoint_arn": endpoint.attr("arn"),
        # what `apply` checks the endpoint serves once the update settled (SageMaker may roll back)
        "endpoint_config_name": endpoint.attr("endpoint_config_name"),
        "region": region,
        "alerts_topic_arn": Expr("aws_sns_topic.alerts.arn"),
        "dashboard_url": (f"https://{region}.console.aws.amazon.com/cloudwatch/home?region={region}"
                          f"#dashboards:name={names.dashboard}"),
        "invoke_example": (f"aws sagemaker-runtime invoke-endpoint --region {region} "
                           f"--endpoint-name {names.endpoint} --content-type application/json "
                           f"--cli-binary-format raw-in-base64-out --body '{body}' /dev/stdout"),
    }
    for name, value in outputs.items():
        ctx.config.output(name, {"value": value})
