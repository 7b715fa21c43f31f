"""`fraudspec plan|apply|destroy` for an aws environment, step by step.

plan     render terraform/<env>/ (fraudspec.render.environment), terraform init + plan, print the summary
apply    require a fresh lock whose artifacts build/ agrees with, render, check the bucket, init +
         plan, confirm, publish the artifacts to S3, apply the saved plan, wait until InService,
         invoke it once, print the outputs
destroy  init + plan -destroy, confirm, apply
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

from fraudspec.core.errors import FraudspecError
from fraudspec.deploy.plan_summary import PlanSummary, summarize
from fraudspec.deploy.terraform import Terraform, find_binary
from fraudspec.lock.file import lock_path, read_lock
from fraudspec.lock.inputs import spec_digests
from fraudspec.lock.stale import require_fresh
from fraudspec.render import RESOURCES
from fraudspec.render.alarms import webhook_variables
from fraudspec.render.artifacts import artifacts_from_lock
from fraudspec.render.environment import Echo, render_environment
from fraudspec.render.outputs import smoke_payload
from fraudspec.spec import webhooks
from fraudspec.spec.model import Spec

PLAN_FILE = "tfplan"
# Destroying needs every variable set, but not the webhook's real URL.
DESTROY_PLACEHOLDER = "https://destroy.invalid/"

Confirm = Callable[[str], bool]


def plan(spec: Spec, echo: Echo = print) -> PlanSummary:
    render_environment(spec, echo)
    terraform = _initialised(spec, secret_variables(spec), echo)
    return _plan(terraform, spec, echo)


def apply(spec: Spec, confirm: Confirm, echo: Echo = print, progress: bool = True) -> Mapping[str, Any]:
    """Returns Terraform's outputs once the endpoint answered its smoke invocation."""
    from fraudspec.deploy.publish import publish, require_bucket
    from fraudspec.deploy.sources import local_sources, missing_hint
    from fraudspec.deploy.verify import verify_deployed
    from fraudspec.deploy.wait import wait_in_service

    lock = read_lock(lock_path(spec.path))
    artifacts_from_lock(spec, lock)  # names the missing step when nothing is locked
    entry = lock.environments[spec.environment.name]
    digests = spec_digests(spec)
    require_fresh(spec, entry, digests)
    sources = local_sources(spec, entry)
    result = render_environment(spec, echo, lock, digests)
    clients = session(spec)
    require_bucket(str(spec.environment.bucket), clients.client("s3"))  # FS403: aws has one; named before planning
    terraform = _initialised(spec, secret_variables(spec), echo)
    summary = _plan(terraform, spec, echo)
    if summary.has_changes and not confirm("Apply these changes?"):
        raise FraudspecError("apply cancelled; nothing was changed or uploaded")
    # Uploads wait for the confirmation: the plan only names the content-addressed keys, it never
    # reads the objects, so nothing reaches the bucket for a change nobody approved.
    for published in publish(result.artifacts.all(), sources, clients.client("s3"),
                             missing_hint=missing_hint(spec, entry), progress=progress):
        echo(f"{published.action:>8} {published.artifact.uri}")
    if summary.has_changes:
        terraform.apply(spec.terraform_dir / PLAN_FILE)
    outputs = terraform.outputs()
    endpoint = outputs["endpoint_name"]
    waited = wait_in_service(clients.client("sagemaker"), endpoint, progress=progress)
    rendered = outputs.get("endpoint_config_name")
    if rendered is None:  # a state from before the output existed, and a plan that changed no resource
        serving = "(not verified: Terraform's state has no endpoint_config_name output yet; the next apply that "\
                  "changes a resource records it)"
    else:
        verify_deployed(spec, clients.client("sagemaker"), clients.client("cloudwatch"), endpoint, rendered)
        serving = f"on {rendered}"
    echo(f"endpoint {endpoint} is InService {serving} (waited {waited:.0f} s); {_smoke(spec, clients, endpoint)}")
    for name in sorted(outputs):
        echo(f"{name} = {outputs[name]}")
    return outputs


def destroy(spec: Spec, confirm: Confirm, echo: Echo = print) -> PlanSummary:
    if not (spec.terraform_dir / RESOURCES).is_file():
        raise FraudspecError(f"{spec.terraform_dir} holds no rendered Terraform: nothing to destroy",
                             hint=f"render it with `fraudspec render --env {spec.environment.name}` first")
    variables = {w.variable: os.environ.get(w.env, DESTROY_PLACEHOLDER) for w in webhook_variables(spec)}
    terraform = _initialised(spec, variables, echo)
    summary = _plan(terraform, spec, echo, destroy=True)
    if summary.has_changes:
        if not confirm("Destroy these resources?"):
            raise FraudspecError("destroy cancelled; nothing was changed")
        terraform.apply(spec.terraform_dir / PLAN_FILE)
    return summary


def secret_variables(spec: Spec) -> dict[str, str]:
    """Webhook URLs the spec names as ${env:NAME}: read now, passed only in Terraform's environment."""
    urls = webhooks.resolve(spec, local=False)  # SNS delivers webhooks over https only
    variables = {}
    for webhook in webhook_variables(spec):
        value = urls.get(webhook.env)
        if not value:
            raise FraudspecError(f"${{env:{webhook.env}}} is not set", hint=f"export {webhook.env}=https://... first")
        variables[webhook.variable] = value
    return variables


def _plan(terraform: Terraform, spec: Spec, echo: Echo, *, destroy: bool = False) -> PlanSummary:
    plan_file = spec.terraform_dir / PLAN_FILE
    terraform.plan(plan_file, destroy=destroy)
    summary = summarize(terraform.show_json(plan_file))
    echo(summary.render())
    return summary


def _initialised(spec: Spec, variables: Mapping[str, str], echo: Echo) -> Terraform:
    """terraform init; against the AWS emulator, with its own state under build/<env>/emulator/."""
    from fraudspec.deploy import emulator

    if emulator.active() is None:
        terraform = Terraform(find_binary(), spec.terraform_dir, variables=dict(variables))
        terraform.init()
        return terraform
    echo(f"{emulator.LABEL} at {emulator.active()}")
    if spec.environment.state.backend != "local":
        raise FraudspecError(f"{spec.environment.name} keeps its Terraform state in S3; against the AWS emulator "
                             "only the local state backend is supported",
                             hint="try an environment with the default `state: {backend: local}` on the emulator")
    backend, environ = emulator.state_settings(spec.workspace.root)
    terraform = Terraform(find_binary(), spec.terraform_dir, variables=dict(variables),
                          environ={**os.environ, **environ})
    terraform.init(backend)
    return terraform


def _smoke(spec: Spec, clients: Any, endpoint: str) -> str:
    from fraudspec.deploy import emulator
    from fraudspec.deploy.wait import smoke_invoke

    if emulator.active() is not None:
        return ("smoke invocation skipped: the AWS emulator runs no model (moto's invoke_endpoint answers "
                "canned bodies), so it would prove nothing")
    answer = smoke_invoke(clients.client("sagemaker-runtime"), endpoint, smoke_payload(spec))
    return f"smoke invocation answered {answer}"


def session(spec: Spec) -> Any:
    import boto3

    return boto3.session.Session(region_name=spec.environment.region)
