"""Every AWS name derived from team/project/name/environment (the seeds' convention), defined once.

`spec.names` is what render, the local runtime, the monitoring jobs and the reports use; names
that also depend on other inputs (the bucket, S3 URIs, tags) are made where those inputs are.

Length limits the names rely on, checked by the spec rules (FS301, FS302): the base name is at
most 36 characters (`{base}-` is the endpoint configuration prefix, <= 37), so IAM role names
(`{base}-model-monitor`, <= 64) and the Lambda function name (<= 64) fit too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ENDPOINT_NAME_MAX = 63
CONFIG_PREFIX_MAX = 37  # aws_sagemaker_endpoint_configuration.name_prefix
ENDPOINT_NAME_PATTERN = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")
# Model Monitor's namespaces; fraudspec's own job publishes under the same ones.
DATA_METRIC_NAMESPACE = "aws/sagemaker/Endpoints/data-metrics"
MODEL_METRIC_NAMESPACE = "aws/sagemaker/Endpoints/model-metrics"
# The serverless handler's CaptureFailures: under the prefix the endpoint role may publish to.
CAPTURE_METRIC_NAMESPACE = "/aws/sagemaker/Endpoints/capture"


@dataclass(frozen=True)
class ResourceNames:
    base: str  # {team}-{project}-{name}-{env}
    root: str  # fraudspec/{name}/{env}: the environment's folder in its bucket (and in Terraform state)
    # A challenger's view (Spec.for_variant): its jobs' schedules carry the variant, so its reports
    # and metrics sit beside the champion's. Every other name is the endpoint's, shared.
    challenger: str | None = field(default=None, kw_only=True)

    # --- the endpoint --------------------------------------------------------------------------
    @property
    def endpoint(self) -> str:
        return self.base

    @property
    def endpoint_config_prefix(self) -> str:
        return f"{self.base}-"  # Terraform appends a unique suffix

    @property
    def model_prefix(self) -> str:
        return f"{self.base}-"  # followed by a digest of the model's definition

    @property
    def model_role(self) -> str:
        return f"{self.base}-model"

    @property
    def endpoint_log_group(self) -> str:
        return f"/aws/sagemaker/Endpoints/{self.endpoint}"

    @property
    def scaling_policy(self) -> str:
        return f"{self.base}-invocations"

    # --- monitoring ----------------------------------------------------------------------------
    @property
    def monitoring_schedule(self) -> str:
        """The data-quality job's schedule name: a segment of Model Monitor's report layout and a metric dimension."""
        return f"{self.base}-data-quality{self._variant_suffix}"

    @property
    def model_quality_schedule(self) -> str:
        """The model-quality job's schedule name, in its reports and metrics."""
        return f"{self.base}-model-quality{self._variant_suffix}"

    @property
    def _variant_suffix(self) -> str:
        return "" if self.challenger is None else f"-{self.challenger}"

    @property
    def metric_namespace(self) -> str:
        return DATA_METRIC_NAMESPACE

    @property
    def model_metric_namespace(self) -> str:
        return MODEL_METRIC_NAMESPACE

    @property
    def capture_metric_namespace(self) -> str:
        return CAPTURE_METRIC_NAMESPACE

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
    def monitor_schedule(self) -> str:
        """The EventBridge schedule that runs the monitoring Lambda."""
        return f"{self.base}-monitor"

    @property
    def scheduler_role(self) -> str:
        return f"{self.base}-scheduler"

    @property
    def job_role(self) -> str:
        """Model Monitor's processing job (engine sagemaker)."""
        return f"{self.base}-model-monitor"

    @property
    def job_definition_prefix(self) -> str:
        return f"{self.base}-dq-"  # followed by a digest of the job's definition

    # --- idle clean-up (environments.<env>.idle_after_days) -------------------------------------
    @property
    def idle_job(self) -> str:
        """The Step Functions state machine that deletes the idle endpoint, and its role."""
        return f"{self.base}-idle-cleanup"

    @property
    def idle_events_role(self) -> str:
        """The role EventBridge starts the clean-up with."""
        return f"{self.base}-idle-events"

    @property
    def idle_log_group(self) -> str:
        return f"/aws/vendedlogs/states/{self.idle_job}"

    # --- alarms and the rest -------------------------------------------------------------------
    @property
    def alerts_topic(self) -> str:
        return f"{self.base}-alerts"

    def alarm(self, what: str) -> str:
        return f"{self.base}-{what}"

    @property
    def key_alias(self) -> str:
        return f"alias/{self.base}"

    @property
    def dashboard(self) -> str:
        return self.base

    # --- in the environment's bucket -----------------------------------------------------------
    @property
    def capture_stream(self) -> str:
        """The Firehose delivery stream serverless capture goes through (capture.firehose)."""
        return f"{self.base}-capture"

    @property
    def capture_stream_role(self) -> str:
        return f"{self.base}-capture-stream"

    @property
    def capture_errors_prefix(self) -> str:
        """Records Firehose could not deliver, outside the layout monitoring reads."""
        return f"{self.root}/capture-errors"

    @property
    def capture_prefix(self) -> str:
        """SageMaker's layout appends {endpoint}/{variant}/yyyy/mm/dd/hh/."""
        return f"{self.root}/capture"

    @property
    def reports_prefix(self) -> str:
        """Model Monitor's layout appends {endpoint}/{schedule}/yyyy/mm/dd/hh/."""
        return f"{self.root}/reports"

    @property
    def ground_truth_prefix(self) -> str:
        """Labels go under yyyy/mm/dd/hh/ (the hour each arrived)."""
        return f"{self.root}/ground-truth"

    @property
    def idle_records_prefix(self) -> str:
        """One JSON record per clean-up run: what it found and what it did."""
        return f"{self.root}/idle-cleanup"

    @property
    def state_key(self) -> str:
        """The Terraform state object of an s3 backend that names no key."""
        return f"{self.root}/terraform.tfstate"


def resource_names(team: str, project: str, name: str, env: str, challenger: str | None = None) -> ResourceNames:
    """The names of an environment; `challenger`: a challenger's view of them (None: the champion's)."""
    return ResourceNames(base=f"{team}-{project}-{name}-{env}", root=f"fraudspec/{name}/{env}", challenger=challenger)
