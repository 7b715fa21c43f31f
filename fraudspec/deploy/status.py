"""`fraudspec status --env <aws env>`: what is deployed, read from AWS (never from terraform/ or the lock).

The endpoint's status and configuration, each variant's weight and instance count (or serverless
settings), the newest monitoring executions with their result, and the state of every alarm of the
environment. `read` returns the plain document (`--format json` prints it), `render` its text.

An endpoint with challengers has several production variants (A/B: each answers its weight's share
of requests) or a shadow variant (DescribeEndpoint's ShadowProductionVariants: it gets a copy of its
weight's share of the production variant's requests and answers nobody), each listed with its role;
each challenger's monitoring executions are its own schedule's, listed under its variant's name.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from fraudspec.core.errors import FraudspecError
from fraudspec.spec.model import Spec

SUMMARY_FILE = "execution_summary.json"  # what every monitoring run writes beside its reports
EXECUTIONS_SHOWN = 3


@dataclass(frozen=True)
class Variant:
    name: str
    current_weight: float | None
    desired_weight: float | None
    instance_type: str | None
    current_instances: int | None  # None on serverless
    desired_instances: int | None
    serverless: Mapping[str, int] | None  # MemorySizeInMB, MaxConcurrency[, ProvisionedConcurrency]
    shadow: bool = False  # a shadow variant: gets a copy of requests, and callers never see its answers


@dataclass(frozen=True)
class Execution:
    kind: str  # data quality, model quality
    window_end: str
    status: str
    violations: int | None
    failure_reason: str | None
    variant: str | None = None  # a challenger's execution (its own schedule); None: the champion's


@dataclass(frozen=True)
class AwsStatus:
    endpoint: str
    status: str  # EndpointStatus, or "absent"
    config: str | None
    failure_reason: str | None
    last_modified: str | None
    variants: tuple[Variant, ...]
    executions: tuple[Execution, ...]
    alarms: Mapping[str, str]  # name -> OK | ALARM | INSUFFICIENT_DATA
    emulator: str | None  # the AWS emulator's URL when that is what answered

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def read(spec: Spec) -> dict[str, Any]:
    """The status document of an aws environment, from AWS (or the AWS emulator when it is active)."""
    import boto3

    from fraudspec.deploy import emulator

    session = boto3.session.Session(region_name=spec.environment.region)
    found = aws_status(spec, session.client("sagemaker"), session.client("cloudwatch"), session.client("s3"),
                       emulator.active())
    return {"environment": spec.environment.name, "target": "aws", **found.to_dict()}


def render(doc: Mapping[str, Any]) -> str:
    """The text of `read`'s document."""
    where = f" [AWS EMULATOR at {doc['emulator']}]" if doc["emulator"] else ""
    lines = [f"{doc['environment']}: endpoint {doc['endpoint']} is {doc['status']}{where}"]
    if doc["config"] is not None:
        lines.append(f"config    {doc['config']} (last modified {doc['last_modified']})")
    if doc["failure_reason"]:
        lines.append(f"reason    {doc['failure_reason']}")
    production = [v for v in doc["variants"] if not v["shadow"]]
    lines += [f"variant   {_variant(v, production)}" for v in doc["variants"]]
    lines += [f"monitor   {e['kind']}{_of(e)} window ending {e['window_end']}: {_execution(e)}"
              for e in doc["executions"]] or ["monitor   no monitoring execution found yet"]
    lines += [f"alarm     {name}: {state}" for name, state in sorted(doc["alarms"].items())]
    return "\n".join(lines)


def _of(execution: Mapping[str, Any]) -> str:
    return "" if execution.get("variant") is None else f" of {execution['variant']}"


def _variant(variant: Mapping[str, Any], production: list[Mapping[str, Any]]) -> str:
    weight = f"weight {_number(variant['current_weight'])}"
    if variant["desired_weight"] not in (None, variant["current_weight"]):
        weight += f" (desired {_number(variant['desired_weight'])})"
    weight = _role(variant, production, weight)
    if variant["serverless"] is not None:
        settings = ", ".join(f"{key} {value}" for key, value in sorted(variant["serverless"].items()))
        return f"{variant['name']}: {weight}, serverless {settings}"
    return (f"{variant['name']}: {weight}, {variant['current_instances']} x {variant['instance_type']} "
            f"(desired {variant['desired_instances']})")


def _role(variant: Mapping[str, Any], production: list[Mapping[str, Any]], weight: str) -> str:
    """What the weight means: a production variant's share of requests among several, or what a shadow
    variant is copied (its weight relative to the production variant's, SageMaker's shadow testing)."""
    share = _share(variant["current_weight"], production[0]["current_weight"] if production else None) \
        if variant["shadow"] else _share(variant["current_weight"], sum(v["current_weight"] or 0 for v in production))
    if variant["shadow"]:
        copied = "" if share is None else f", a copy of {share} of {production[0]['name']}'s requests"
        return f"shadow ({weight}{copied}; answers nobody)"
    return weight if share is None or len(production) < 2 else f"{weight} ({share} of requests)"


def _number(weight: float | None) -> str:
    """20 rather than 20.0: whole-percent weights (fraudspec.render.endpoint) read as they were written."""
    return "None" if weight is None else f"{weight:g}"


def _share(weight: float | None, of: float | None) -> str | None:
    if weight is None or not of:
        return None
    return f"{round(100 * weight / of, 1):g} %"


def _execution(execution: Mapping[str, Any]) -> str:
    if execution["status"] == "Failed":
        return f"Failed ({execution['failure_reason']})"
    return f"{execution['status']}, {execution['violations']} violation(s)"


def aws_status(spec: Spec, sagemaker: Any, cloudwatch: Any, s3: Any, emulator: str | None = None) -> AwsStatus:
    from botocore.exceptions import BotoCoreError, ClientError

    name = spec.names.endpoint
    try:
        described = _describe(sagemaker, name)
        config = None if described is None else sagemaker.describe_endpoint_config(
            EndpointConfigName=described["EndpointConfigName"])
        executions = _executions(spec, s3)
        alarms = _alarm_states(spec, cloudwatch)
    except (BotoCoreError, ClientError) as error:
        raise FraudspecError(f"cannot read what {spec.environment.name} deploys: {error}",
                             hint="check AWS credentials (AWS_PROFILE, AWS_REGION) and network access") from None
    if described is None:
        return AwsStatus(name, "absent", None, None, None, (), executions, alarms, emulator)
    return AwsStatus(
        endpoint=name, status=described["EndpointStatus"], config=described["EndpointConfigName"],
        failure_reason=described.get("FailureReason"), last_modified=str(described.get("LastModifiedTime", "")),
        variants=_variants(described, config or {}), executions=executions, alarms=alarms, emulator=emulator)


def _describe(sagemaker: Any, name: str) -> dict[str, Any] | None:
    from botocore.exceptions import ClientError

    try:
        return sagemaker.describe_endpoint(EndpointName=name)
    except ClientError as error:
        if "Could not find" in str(error) or error.response.get("Error", {}).get("Code") == "ValidationException":
            return None
        raise


def _variants(described: Mapping[str, Any], config: Mapping[str, Any]) -> tuple[Variant, ...]:
    """The endpoint's live variants, with the configuration's instance type and serverless settings."""
    found = []
    for key, shadow in (("ProductionVariants", False), ("ShadowProductionVariants", True)):
        configured = {v["VariantName"]: v for v in config.get(key, [])}
        for live in described.get(key, []):
            declared = configured.get(live["VariantName"], {})
            serverless = live.get("CurrentServerlessConfig") or declared.get("ServerlessConfig")
            found.append(Variant(
                name=live["VariantName"],
                current_weight=live.get("CurrentWeight", declared.get("InitialVariantWeight")),  # moto omits it
                desired_weight=live.get("DesiredWeight"), instance_type=declared.get("InstanceType"),
                current_instances=None if serverless else live.get("CurrentInstanceCount"),
                desired_instances=None if serverless else live.get("DesiredInstanceCount"),
                serverless=dict(serverless) if serverless else None, shadow=shadow))
    return tuple(found)


def _executions(spec: Spec, s3: Any) -> tuple[Execution, ...]:
    """The newest runs of fraudspec's monitoring jobs, from their execution_summary.json in S3, or of
    Model Monitor's schedule (engine sagemaker)."""
    if not spec.monitoring.enabled or spec.environment.bucket is None:
        return ()
    if spec.monitoring.engine == "sagemaker":
        return ()  # Model Monitor's executions are SageMaker's: `aws sagemaker list-monitoring-executions`
    kinds: list[tuple[str, str, str | None]] = []
    for view in spec.variant_specs:  # each challenger's runs are its own schedule's
        kinds.append(("data quality", view.names.monitoring_schedule, view.challenger))
        if spec.monitoring.model_quality is not None:
            kinds.append(("model quality", view.names.model_quality_schedule, view.challenger))
    found: list[Execution] = []
    for kind, schedule, variant in kinds:
        prefix = f"{spec.names.reports_prefix}/{spec.names.endpoint}/{schedule}/"
        keys = sorted(item["Key"] for page in s3.get_paginator("list_objects_v2").paginate(
            Bucket=spec.environment.bucket, Prefix=prefix) for item in page.get("Contents", [])
            if item["Key"].endswith("/" + SUMMARY_FILE))
        for key in keys[-EXECUTIONS_SHOWN:][::-1]:
            summary = json.loads(s3.get_object(Bucket=spec.environment.bucket, Key=key)["Body"].read())
            found.append(Execution(kind, summary.get("window", {}).get("end", "?"), summary.get("status", "?"),
                                   summary.get("violations"), summary.get("failure_reason"), variant))
    return tuple(found)


def _alarm_states(spec: Spec, cloudwatch: Any) -> dict[str, str]:
    return {alarm["AlarmName"]: alarm["StateValue"]
            for page in cloudwatch.get_paginator("describe_alarms").paginate(AlarmNamePrefix=spec.names.base)
            for alarm in page.get("MetricAlarms", [])}
