"""Every AWS name, S3 location and tag one environment's Terraform uses, in one place.

Names extend `spec.names` (the seeds' `{team}-{project}-{model}-{env}` convention). Length
limits they rely on (checked by the spec rules, not here): IAM role names <= 64 characters, so
the base name must stay within 50 (`{base}-model-monitor`); Lambda function names <= 64.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from fraudspec.render.artifacts import Artifacts, require_bucket
from fraudspec.spec.model import Spec


@dataclass(frozen=True)
class Names:
    base: str
    endpoint: str
    endpoint_config_prefix: str
    model_prefix: str
    variant: str
    monitoring_schedule: str
    metric_namespace: str
    bucket: str
    capture_prefix: str  # SageMaker's layout appends {endpoint}/{variant}/yyyy/mm/dd/hh/
    reports_prefix: str  # Model Monitor's layout appends {endpoint}/{schedule}/yyyy/mm/dd/hh/

    @property
    def model_role(self) -> str:
        return f"{self.base}-model"

    @property
    def monitor_function(self) -> str:
        return f"{self.base}-monitor"

    @property
    def monitor_role(self) -> str:
        return f"{self.base}-monitor"

    @property
    def monitor_log_group(self) -> str:
        return f"/aws/lambda/{self.monitor_function}"

    @property
    def scheduler_role(self) -> str:
        return f"{self.base}-scheduler"

    @property
    def monitor_schedule(self) -> str:
        return f"{self.base}-monitor"

    @property
    def job_role(self) -> str:
        return f"{self.base}-model-monitor"

    @property
    def job_definition_prefix(self) -> str:
        return f"{self.base}-dq-"

    @property
    def alerts_topic(self) -> str:
        return f"{self.base}-alerts"

    @property
    def key_alias(self) -> str:
        return f"alias/{self.base}"

    @property
    def dashboard(self) -> str:
        return self.base

    @property
    def endpoint_log_group(self) -> str:
        return f"/aws/sagemaker/Endpoints/{self.endpoint}"

    def alarm(self, what: str) -> str:
        return f"{self.base}-{what}"

    def s3_uri(self, prefix: str) -> str:
        return f"s3://{self.bucket}/{prefix}"


def names_for(spec: Spec) -> Names:
    names = spec.names
    return Names(
        base=names.base,
        endpoint=names.endpoint,
        endpoint_config_prefix=names.endpoint_config_prefix,
        model_prefix=names.model_prefix,
        variant=spec.endpoint.variant,
        monitoring_schedule=names.monitoring_schedule,
        metric_namespace=names.metric_namespace,
        bucket=require_bucket(spec),
        capture_prefix=names.capture_prefix,
        reports_prefix=names.reports_prefix,
    )


def default_tags(spec: Spec, artifacts: Artifacts) -> Mapping[str, str]:
    """The provider's default tags: the spec's own tags, then fraudspec's five (which win)."""
    tags = {**spec.tags, **spec.environment.tags}
    tags.update(
        Team=spec.team,
        Project=spec.project,
        Model=spec.name,
        Environment=spec.environment.name,
        Version=artifacts.model.short_digest,
    )
    return {key: str(tags[key]) for key in sorted(tags)}
