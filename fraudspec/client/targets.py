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
