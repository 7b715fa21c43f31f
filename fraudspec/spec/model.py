"""The typed, immutable spec that every later stage receives.

`fraudspec.spec.load.load_spec` builds a `Spec` for one environment: the base document
deep-merged with that environment's `overrides`, validated, with defaults filled in from
schema.json, and every field passed to these classes. Their own field defaults serve code that
builds them by hand (tests, benchmarks); tests/spec/test_defaults.py holds them to the schema's.
Later stages read these values only; they never see YAML or dicts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from fraudspec.spec.names import ResourceNames, resource_names
from fraudspec.spec.workspace import Workspace

FeatureType = Literal["numeric", "categorical"]
Algorithm = Literal["random_forest", "gradient_boosting", "logistic_regression"]
DriftMethod = Literal["simple", "robust"]
CategoricalMethod = Literal["linf", "chisquared"]
Engine = Literal["fraudspec", "sagemaker"]
ProblemType = Literal["binary_classification"]
Comparison = Literal["LessThanThreshold", "GreaterThanThreshold"]  # Model Monitor's and CloudWatch's names
Target = Literal["local", "aws"]


def frozen_map(data: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
    return MappingProxyType(dict(data or {}))


@dataclass(frozen=True)
class Feature:
    name: str
    type: FeatureType = "numeric"


@dataclass(frozen=True)
class SyntheticData:
    """The built-in generator (fraudspec.artifact), deterministic by seed."""

    rows: int = 20000
    seed: int = 7
    fraud_rate: float = 0.02


@dataclass(frozen=True)
class CsvData:
    """A CSV with a header naming every feature and the target; path is absolute."""

    path: Path


@dataclass(frozen=True)
class ModelSpec:
    features: tuple[Feature, ...]
    target: str
    data: SyntheticData | CsvData
    algorithm: Algorithm = "random_forest"
    hyperparameters: Mapping[str, Any] = field(default_factory=frozen_map)
    # Minimum validation metrics, e.g. {"roc_auc": 0.9}; the build fails below them.
    gate: Mapping[str, float] = field(default_factory=frozen_map)
    validation_fraction: float = 0.2
    split_seed: int = 42
    decision_threshold: float = 0.5

    @property
    def feature_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.features)


@dataclass(frozen=True)
class ServerlessEndpoint:
    memory_mb: int = 2048
    max_concurrency: int = 5
    provisioned_concurrency: int | None = None


@dataclass(frozen=True)
class Autoscaling:
    min_instances: int = 1
    max_instances: int = 2
    target_invocations_per_instance: int = 1000


@dataclass(frozen=True)
class RealtimeEndpoint:
    instance_type: str = "ml.m5.large"
    instance_count: int = 1
    autoscaling: Autoscaling | None = None


@dataclass(frozen=True)
class Rollout:
    """How SageMaker shifts traffic to a new endpoint configuration, and which alarms roll it back."""

    strategy: Literal["all_at_once", "canary", "linear"] = "all_at_once"
    percent: int | None = None  # canary size or linear step, % of the variant's instances
    wait_seconds: int = 600
    final_bake_seconds: int = 600
    rollback_on: tuple[str, ...] = ("error_5xx_rate", "model_latency")  # alarm keys; model_quality: all of them

    @property
    def waiting_seconds(self) -> int:
        """Every wait from the first traffic step to the old fleet's termination (provisioning aside)."""
        percent = self.percent or 100
        steps = {"all_at_once": 0, "canary": 1, "linear": -(-100 // percent) - 1}[self.strategy]
        return steps * self.wait_seconds + self.final_bake_seconds


@dataclass(frozen=True)
class Challenger:
    """A second model served beside the champion (realtime endpoints, rules FS181-FS186)."""

    variant: str
    mode: Literal["shadow", "ab"]
    # shadow: % of the champion's requests copied to it; ab: % of all requests it answers
    percent: int
    model: ModelSpec  # the champion's model with the challenger's `model` keys in place
    instance_type: str | None = None  # None: the champion's
    instance_count: int = 1


VariantRole = Literal["champion", "ab", "shadow"]


@dataclass(frozen=True)
class Variant:
    """One variant of the endpoint as SageMaker hosts it: the champion first, then its challengers."""

    name: str
    role: VariantRole
    # SageMaker's initial_variant_weight: production variants share traffic by weight; a shadow
    # variant gets this fraction of its production variant's requests (whose weight is 1).
    weight: float
    instance_type: str | None  # None: serverless
    instance_count: int

    @property
    def answers(self) -> bool:
        """Whether callers get this variant's predictions (a shadow's are captured, never returned)."""
        return self.role != "shadow"


@dataclass(frozen=True)
class EndpointSpec:
    serverless: ServerlessEndpoint | None = None
    realtime: RealtimeEndpoint | None = None
    variant: str = "AllTraffic"
    rollout: Rollout | None = None  # None: SageMaker's default, all at once without rollback alarms
    challengers: tuple[Challenger, ...] = ()

    @property
    def kind(self) -> Literal["serverless", "realtime"]:
        return "serverless" if self.serverless is not None else "realtime"

    @property
    def variants(self) -> tuple[Variant, ...]:
        """Every variant with its weight: the champion answers what the A/B challengers do not."""
        realtime = self.realtime
        instance_type = None if realtime is None else realtime.instance_type
        ab_share = sum(c.percent for c in self.challengers if c.mode == "ab")
        champion = Variant(self.variant, "champion", (100 - ab_share) / 100, instance_type,
                           1 if realtime is None else realtime.instance_count)
        return (champion, *(Variant(c.variant, c.mode, c.percent / 100, c.instance_type or instance_type,
                                    c.instance_count) for c in self.challengers))

    def challenger(self, variant: str) -> Challenger:
        for challenger in self.challengers:
            if challenger.variant == variant:
                return challenger
        raise KeyError(variant)


@dataclass(frozen=True)
class FirehoseCapture:
    """Serverless capture through a Firehose delivery stream, and its buffering hints."""

    buffer_mb: int = 64
    buffer_seconds: int = 300


@dataclass(frozen=True)
class CaptureSpec:
    enabled: bool = True
    sampling_percent: int = 100
    input: bool = True
    output: bool = True
    kms_key_arn: str | None = None
    on_failure: Literal["fail", "drop"] = "fail"
    firehose: FirehoseCapture | None = None  # None: the handler puts one S3 object per record


@dataclass(frozen=True)
class Schedule:
    """A monitoring schedule in both dialects AWS speaks (see fraudspec.spec.schedule)."""

    source: str  # what the user wrote: "hourly", "daily at 3", "every 6 hours", "cron(...)", "rate(...)"
    expression: str  # EventBridge Scheduler expression: "cron(0 * ? * * *)" or "rate(1 hour)"
    model_monitor: str | None  # Model Monitor's cron form, None when it has no equivalent
    timezone: str = "UTC"


@dataclass(frozen=True)
class DriftSpec:
    method: DriftMethod = "robust"
    threshold: float = 0.1
    features: Mapping[str, float] = field(default_factory=frozen_map)
    categorical_method: CategoricalMethod = "linf"
    categorical_threshold: float | None = None  # None: same as `threshold`

    def threshold_for(self, feature: str, categorical: bool = False) -> float:
        """The feature's own threshold, else categorical_threshold (categorical features), else threshold."""
        if feature in self.features:
            return self.features[feature]
        if categorical and self.categorical_threshold is not None:
            return self.categorical_threshold
        return self.threshold


@dataclass(frozen=True)
class CompletenessSpec:
    threshold: float | None = None  # None: the completeness observed in the baseline
    features: Mapping[str, float] = field(default_factory=frozen_map)

    def threshold_for(self, feature: str) -> float | None:
        return self.features.get(feature, self.threshold)


@dataclass(frozen=True)
class QualityThreshold:
    """`{min: x}` is LessThanThreshold (a violation below x), `{max: x}` GreaterThanThreshold (above x)."""

    threshold: float
    comparison: Comparison


@dataclass(frozen=True)
class ModelQualitySpec:
    """Predictions joined to ground-truth labels, evaluated on a schedule (fraudspec.monitoring.quality)."""

    schedule: Schedule
    probability_threshold: float  # the spec's default is model.decision_threshold, filled in by the parser
    ground_truth: str | None = None  # a directory (absolute) or s3://bucket/prefix; None: the environment's default
    problem_type: ProblemType = "binary_classification"
    metrics: Mapping[str, QualityThreshold] = field(default_factory=frozen_map)
    min_labels: int = 100
    label_delay_hours: int = 0


@dataclass(frozen=True)
class GlueJob:
    """The monitoring job on AWS Glue (monitoring.runner glue): Spark reads the window's partitions."""

    worker_type: Literal["G.1X", "G.2X", "G.4X", "G.8X"] = "G.1X"
    workers: int = 2
    timeout_minutes: int = 60


@dataclass(frozen=True)
class MonitoringSpec:
    schedule: Schedule
    engine: Engine = "fraudspec"
    drift: DriftSpec = field(default_factory=DriftSpec)
    completeness: CompletenessSpec = field(default_factory=CompletenessSpec)
    data_type_threshold: float = 0.1
    domain_threshold: float = 0.1
    emit_metrics: bool = True
    enabled: bool = True
    runner: Literal["lambda", "glue"] = "lambda"  # where the fraudspec engine's job runs on AWS
    glue: GlueJob = field(default_factory=lambda: GlueJob())
    model_quality: ModelQualitySpec | None = None  # None: no model-quality monitoring
    log_retention_days: int = 30  # the fraudspec engine's Lambda logs on AWS
    job_instance_type: str = "ml.m5.xlarge"  # Model Monitor's processing job (engine sagemaker)
    job_volume_gb: int = 20


ENV_REFERENCE = re.compile(r"^\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}$")


@dataclass(frozen=True)
class NotifyTarget:
    """Exactly one of the three is set. `webhook` is kept as written, e.g. "${env:NAME}"."""

    email: str | None = None
    sns_topic_arn: str | None = None
    webhook: str | None = None

    @property
    def webhook_variable(self) -> str | None:
        """NAME in `webhook: ${env:NAME}`: the URL is read from the environment when it is used."""
        match = ENV_REFERENCE.match(self.webhook or "")
        return match.group(1) if match else None


@dataclass(frozen=True)
class DriftAlarm:
    threshold: float | None = None  # None: each feature's drift threshold
    evaluation_periods: int = 1
    datapoints_to_alarm: int = 1


@dataclass(frozen=True)
class AlarmsSpec:
    notify: tuple[NotifyTarget, ...] = ()
    drift: DriftAlarm | None = field(default_factory=DriftAlarm)
    # Endpoint alarms; None disables one. Latencies in milliseconds, rates in percent.
    model_latency_ms: float | None = 1000
    overhead_latency_ms: float | None = 200
    error_4xx_percent: float | None = 1.0
    error_5xx_percent: float | None = 0.1
    cpu_percent: float | None = 80  # realtime only
    memory_percent: float | None = 80  # realtime only
    evaluation_periods: int = 3
    period_seconds: int = 60


@dataclass(frozen=True)
class ExpectedTraffic:
    """The traffic an environment is priced for (fraudspec.cost); it changes nothing deployed."""

    requests_per_day: int = 1000
    average_latency_ms: float = 100
    payload_bytes: int = 1024


@dataclass(frozen=True)
class StateBackend:
    backend: Literal["local", "s3"] = "local"
    bucket: str | None = None
    key: str | None = None
    region: str | None = None
    use_lockfile: bool = True


@dataclass(frozen=True)
class Environment:
    name: str
    target: Target = "local"
    region: str | None = None
    account: str | None = None
    bucket: str | None = None
    role_arn: str | None = None  # None: fraudspec's Terraform creates the execution role
    state: StateBackend = field(default_factory=StateBackend)
    port: int = 8080  # local target only
    tags: Mapping[str, str] = field(default_factory=frozen_map)
    production: bool = False
    idle_after_days: int | None = None  # None: never cleaned up when idle


@dataclass(frozen=True)
class Spec:
    """The effective spec of one environment."""

    path: Path  # the spec file, absolute
    name: str
    team: str
    project: str
    model: ModelSpec
    endpoint: EndpointSpec
    capture: CaptureSpec
    monitoring: MonitoringSpec
    alarms: AlarmsSpec
    environment: Environment
    environments: tuple[str, ...]  # every environment the file declares
    tags: Mapping[str, str] = field(default_factory=frozen_map)
    expected_traffic: ExpectedTraffic = field(default_factory=ExpectedTraffic)
    # None: the champion's spec. Else the challenger variant whose view this is (`for_variant`):
    # `model` is the challenger's, and so are `variant`, the workspace folder and the job names.
    challenger: str | None = None

    @property
    def variant(self) -> Variant:
        """The variant whose model this spec describes (the champion unless this is a challenger's view)."""
        name = self.challenger or self.endpoint.variant
        return next(v for v in self.endpoint.variants if v.name == name)

    @property
    def variant_specs(self) -> tuple[Spec, ...]:
        """The champion's spec, then each challenger's view: what build, baseline and monitoring run once each."""
        return (self, *(self.for_variant(c.variant) for c in self.endpoint.challengers))

    def for_variant(self, variant: str) -> Spec:
        """The champion's spec as `variant` sees it (the champion's own name gives the spec itself)."""
        if self.challenger is not None:
            raise ValueError("for_variant is asked of the champion's spec")
        if variant == self.endpoint.variant:
            return self
        return replace(self, model=self.endpoint.challenger(variant).model, challenger=variant)

    @property
    def root(self) -> Path:
        """The project directory: the parent of `specs/`, else the spec's own directory."""
        parent = self.path.parent
        return parent.parent if parent.name == "specs" else parent

    @property
    def names(self) -> ResourceNames:
        return resource_names(self.team, self.project, self.name, self.environment.name, self.challenger)

    def drift_alarm_threshold(self, feature: str) -> float:
        """The distance above which a feature's drift alarm fires, on AWS and locally alike."""
        drift_alarm = self.alarms.drift
        if drift_alarm is not None and drift_alarm.threshold is not None:
            return drift_alarm.threshold
        categorical = any(f.name == feature and f.type == "categorical" for f in self.model.features)
        return self.monitoring.drift.threshold_for(feature, categorical)

    @property
    def workspace(self) -> Workspace:
        return Workspace.of(self.root, self.path, self.environment.name, self.challenger)

    @property
    def terraform_dir(self) -> Path:
        return self.root / "terraform" / self.environment.name

