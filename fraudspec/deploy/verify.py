"""After the wait: is the endpoint serving the endpoint configuration this apply rendered?

SageMaker can roll an update back on its own (a rollback alarm fired during a canary or linear
shift, or the new fleet failed to start): the endpoint returns to InService on the old
configuration while Terraform's state records the new one. Only describe_endpoint knows.

On that configuration, the endpoint must also host the spec's variants in their roles: the champion
and A/B challengers as production variants, a shadow challenger as a shadow variant
(DescribeEndpoint's ProductionVariants and ShadowProductionVariants).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fraudspec.core.errors import FraudspecError
from fraudspec.render.endpoint import rollback_alarm_names
from fraudspec.spec.model import Spec


def verify_deployed(spec: Spec, sagemaker: Any, cloudwatch: Any, endpoint: str, rendered_config: str) -> None:
    """Raise, naming the cause and what to do, unless `endpoint` is InService on `rendered_config`."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        described = sagemaker.describe_endpoint(EndpointName=endpoint)
    except (BotoCoreError, ClientError) as error:
        raise FraudspecError(f"cannot describe endpoint {endpoint}: {error}") from None
    serving, status = described["EndpointConfigName"], described["EndpointStatus"]
    if serving == rendered_config and status == "InService":
        _require_variants(spec, described, endpoint)
        return
    env = spec.environment.name
    firing = alarms_in_alarm(cloudwatch, rollback_alarm_names(spec))
    cause = (f"rollback alarm {', '.join(firing)} is in ALARM" if firing else
             f"no rollback alarm is in ALARM now; SageMaker says: {described.get('FailureReason', 'no reason given')}")
    raise FraudspecError(
        f"SageMaker rolled endpoint {endpoint} back: it is {status} on {serving}, not on {rendered_config}, "
        f"the configuration this apply created ({cause}); Terraform's state still names {rendered_config}",
        hint=f"look at the alarm's metric on the dashboard (`terraform output dashboard_url`) and the endpoint's "
             f"logs, fix the model or its serving, `fraudspec build --env {env}`, then `fraudspec apply --env {env}` "
             f"(its plan moves the endpoint to the new configuration again)")


def alarms_in_alarm(cloudwatch: Any, names: tuple[str, ...]) -> list[str]:
    """Which of `names` are in state ALARM (sorted)."""
    if not names:
        return []
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        found = cloudwatch.describe_alarms(AlarmNames=list(names))["MetricAlarms"]
    except (BotoCoreError, ClientError):
        return []  # the rollback is the error; the alarms only explain it
    return sorted(alarm["AlarmName"] for alarm in found if alarm["StateValue"] == "ALARM")


def _require_variants(spec: Spec, described: Mapping[str, Any], endpoint: str) -> None:
    """The live production and shadow variants are the spec's, by name and role."""
    expected = {key: [v.name for v in spec.endpoint.variants if v.answers == answers]
                for key, answers in (("ProductionVariants", True), ("ShadowProductionVariants", False))}
    live = {key: [v["VariantName"] for v in described.get(key, [])] for key in expected}
    if live == expected:
        return
    shown = "; ".join(f"{key} {', '.join(names) or 'none'}" for key, names in live.items())
    wanted = "; ".join(f"{key} {', '.join(names) or 'none'}" for key, names in expected.items())
    raise FraudspecError(f"endpoint {endpoint} is InService but hosts {shown}, where the spec declares {wanted}",
                         hint=f"compare terraform/{spec.environment.name}/ with the spec (`fraudspec render --check "
                              f"--env {spec.environment.name}`), then apply again")
