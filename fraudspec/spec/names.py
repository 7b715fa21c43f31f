"""AWS resource names derived from name/team/project/environment (the seeds' convention)."""

from __future__ import annotations

import re
from dataclasses import dataclass

ENDPOINT_NAME_MAX = 63
CONFIG_PREFIX_MAX = 37  # aws_sagemaker_endpoint_configuration.name_prefix
ENDPOINT_NAME_PATTERN = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")


@dataclass(frozen=True)
class ResourceNames:
    base: str  # {team}-{project}-{name}-{env}
    endpoint: str
    endpoint_config_prefix: str  # Terraform appends a unique suffix
    model_prefix: str
    monitoring_schedule: str  # the "schedule name" segment of Model Monitor's report layout
    metric_namespace: str
    capture_prefix: str  # in the environment's bucket; SageMaker appends {endpoint}/{variant}/yyyy/mm/dd/hh/
    reports_prefix: str  # Model Monitor's layout appends {endpoint}/{schedule}/yyyy/mm/dd/hh/
    model_quality_schedule: str  # the model-quality job's schedule name, in its reports and metrics
    model_metric_namespace: str  # Model Monitor's namespace for model-quality metrics of an endpoint
    ground_truth_prefix: str  # in the environment's bucket; labels go under yyyy/mm/dd/hh/ (arrival hour)


def resource_names(team: str, project: str, name: str, env: str) -> ResourceNames:
    base = f"{team}-{project}-{name}-{env}"
    root = f"fraudspec/{name}/{env}"
    return ResourceNames(
        base=base,
        endpoint=base,
        endpoint_config_prefix=f"{base}-",
        model_prefix=f"{base}-",
        monitoring_schedule=f"{base}-data-quality",
        metric_namespace="aws/sagemaker/Endpoints/data-metrics",
        capture_prefix=f"{root}/capture",
        reports_prefix=f"{root}/reports",
        model_quality_schedule=f"{base}-model-quality",
        model_metric_namespace="aws/sagemaker/Endpoints/model-metrics",
        ground_truth_prefix=f"{root}/ground-truth",
    )
