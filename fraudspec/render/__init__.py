"""The render stage: (Spec, Artifacts) -> the Terraform JSON of one AWS environment.

`render(spec, artifacts)` returns the three files' contents; `environment.py` renders an
environment from the lock and writes (or checks) terraform/<env>/. Nothing here talks to AWS or
runs Terraform.
"""

from __future__ import annotations

from typing import Any

from fraudspec.core.errors import FraudspecError
from fraudspec.render.alarms import render_alarms
from fraudspec.render.artifacts import Artifacts
from fraudspec.render.context import Context
from fraudspec.render.dashboard import render_dashboard
from fraudspec.render.document import HEADER, Config, dump, encode
from fraudspec.render.endpoint import render_autoscaling, render_endpoint
from fraudspec.render.firehose import render_capture_stream
from fraudspec.render.idle import render_idle
from fraudspec.render.kms import render_key
from fraudspec.render.monitoring import render_monitoring
from fraudspec.render.naming import default_tags, names_for
from fraudspec.render.outputs import render_outputs
from fraudspec.spec.model import Spec

PROVIDER_SOURCE = "hashicorp/aws"
PROVIDER_VERSION = ">= 5.100, < 7.0"
# use_lockfile (S3 state locking without DynamoDB) arrived in Terraform and OpenTofu 1.10.
REQUIRED_VERSION = ">= 1.10"
VERSIONS, PROVIDERS, RESOURCES = "versions.tf.json", "providers.tf.json", "fraudspec.tf.json"


def render(spec: Spec, artifacts: Artifacts) -> dict[str, str]:
    """File name -> content, deterministic: the same spec and artifacts give the same bytes."""
    require_aws(spec)
    ctx = Context(spec, artifacts, names_for(spec), Config())
    if not spec.environment.account:
        ctx.config.data("aws_caller_identity", "current", {})
    key = render_key(ctx)
    endpoint = render_endpoint(ctx)
    render_autoscaling(ctx, endpoint)
    render_capture_stream(ctx, key)
    render_monitoring(ctx, endpoint, key)
    render_alarms(ctx, key)
    render_idle(ctx, key)
    render_dashboard(ctx)
    render_outputs(ctx, endpoint)
    header = {"//": HEADER.format(spec=spec.path.relative_to(spec.root).as_posix(), env=spec.environment.name)}
    return {
        VERSIONS: dump({**header, "terraform": terraform_settings(spec)}),
        PROVIDERS: dump({**header, "provider": {"aws": provider(ctx)}}),
        RESOURCES: dump({**header, **ctx.config.to_json()}),
    }


def require_aws(spec: Spec) -> None:
    if spec.environment.target != "aws":
        raise FraudspecError(f"environment '{spec.environment.name}' has target "
                             f"'{spec.environment.target}'; only aws environments render Terraform",
                             hint="pick an environment with `target: aws`")


def terraform_settings(spec: Spec) -> dict[str, Any]:
    """Literal values (not templates): Terraform reads this block before anything else."""
    state = spec.environment.state
    if state.backend == "s3":
        backend = {"s3": {"bucket": state.bucket or spec.environment.bucket, "key": state.key,
                          "region": state.region or spec.environment.region, "encrypt": True,
                          "use_lockfile": state.use_lockfile}}
    else:
        backend = {"local": {"path": "terraform.tfstate"}}
    return {
        "required_version": REQUIRED_VERSION,
        "required_providers": {"aws": {"source": PROVIDER_SOURCE, "version": PROVIDER_VERSION}},
        "backend": backend,
    }


def provider(ctx: Context) -> dict[str, Any]:
    body: dict[str, Any] = {
        "region": ctx.region,
        "default_tags": [{"tags": default_tags(ctx.spec, ctx.artifacts)}],
    }
    if ctx.spec.environment.account:
        # Refuses to run against any other account: dev credentials never touch prod.
        body["allowed_account_ids"] = [ctx.spec.environment.account]
    return encode(body)
