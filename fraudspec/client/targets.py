"""How to reach an environment's endpoint: the local runtime over HTTP, or SageMaker on aws."""

from __future__ import annotations

from collections.abc import Callable

from fraudspec.client.http import Call, http_caller
from fraudspec.core.errors import FraudspecError
from fraudspec.runtime import process as runtime
from fraudspec.spec.model import Spec


def caller_for(spec: Spec) -> Callable[[], Call]:
    """A factory of callers (one per worker thread) for the environment's endpoint."""
    if spec.environment.target == "aws":
        from fraudspec.client.aws import endpoint_caller, runtime_client

        client = runtime_client(spec)
        return lambda: endpoint_caller(client, spec.names.endpoint)
    info = runtime.running(spec)
    if info is None:
        raise FraudspecError(f"the local runtime of '{spec.environment.name}' is not running",
                             hint=f"start it with `fraudspec apply --env {spec.environment.name}` (or `make apply`)")
    return lambda: http_caller(info.url)


def check_target_variant(spec: Spec, name: str) -> None:
    """Refuses a TargetVariant the endpoint would refuse, before anything is sent, saying which it takes."""
    variants = {variant.name: variant for variant in spec.endpoint.variants}
    production = ", ".join(variant.name for variant in spec.endpoint.variants if variant.answers)
    variant = variants.get(name)
    if variant is None:
        raise FraudspecError(f"endpoint {spec.names.endpoint} has no variant '{name}'",
                             hint=f"give --variant one of its production variants: {production}")
    if not variant.answers:
        raise FraudspecError(f"variant '{name}' is a shadow: it gets copies of {spec.endpoint.variant}'s requests "
                             "and answers nobody, so no request can target it",
                             hint=f"target {spec.endpoint.variant} (the shadow gets its share of those), "
                                  f"or one of: {production}")
