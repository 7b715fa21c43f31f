"""The effective document of one environment, validated and with the schema's defaults filled in
(fraudspec.spec.defaults), as a typed `Spec`.

Every defaulted key is present, so nothing here falls back to a value of its own; the only
defaults computed here are the ones derived from other fields (noted where they are made).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fraudspec.spec import schedule
from fraudspec.spec.model import (
    AlarmsSpec,
    Autoscaling,
    CaptureSpec,
    Challenger,
    CompletenessSpec,
    CsvData,
    DriftAlarm,
    DriftSpec,
    EndpointSpec,
    Environment,
    ExpectedTraffic,
    Feature,
    FirehoseCapture,
    GlueJob,
    ModelQualitySpec,
    ModelSpec,
    MonitoringSpec,
    NotifyTarget,
    QualityThreshold,
    RealtimeEndpoint,
    Rollout,
    ServerlessEndpoint,
    Spec,
    StateBackend,
    SyntheticData,
    frozen_map,
)
from fraudspec.spec.names import resource_names


def parse_spec(data: dict[str, Any], env: str, path: Path) -> Spec:
    spec_dir = path.resolve().parent
    model = _model(data["model"], spec_dir)
    return Spec(
        path=path.resolve(),
        name=data["name"],
        team=data["team"],
        project=data["project"],
        tags=frozen_map(data["tags"]),
        model=model,
        endpoint=_endpoint(data["endpoint"], data["model"], spec_dir),
        capture=_capture(data["capture"]),
        monitoring=_monitoring(data["monitoring"], model, spec_dir),
        alarms=_alarms(data["alarms"]),
        environment=_environment(env, data),
        environments=tuple(data["environments"]),
        expected_traffic=ExpectedTraffic(**data["expected_traffic"]),
    )


def _capture(capture: dict[str, Any]) -> CaptureSpec:
    firehose = capture.get("firehose")  # absent or null: direct S3 writes
    return CaptureSpec(**{**capture, "firehose": None if firehose is None else FirehoseCapture(**firehose)})


def _model(model: dict[str, Any], spec_dir: Path) -> ModelSpec:
    data = model["data"]
    source = CsvData((spec_dir / data["csv"]).resolve()) if "csv" in data else SyntheticData(**data["synthetic"])
    return ModelSpec(
        features=tuple(Feature(**feature) for feature in model["features"]),
        target=model["target"],
        data=source,
        algorithm=model["algorithm"],
        hyperparameters=frozen_map(model["hyperparameters"]),
        gate=frozen_map(model["gate"]),
        validation_fraction=model["validation_fraction"],
        split_seed=model["split_seed"],
        decision_threshold=model["decision_threshold"],
    )


def _endpoint(endpoint: dict[str, Any], model: dict[str, Any], spec_dir: Path) -> EndpointSpec:
    serverless = endpoint.get("serverless")  # absent or null: not this kind
    realtime = endpoint.get("realtime")
    rollout = endpoint.get("rollout")  # absent or null: SageMaker's default update
    return EndpointSpec(
        serverless=None if serverless is None else ServerlessEndpoint(**serverless),
        realtime=None if realtime is None else _realtime(realtime),
        variant=endpoint["variant"],
        rollout=None if rollout is None else Rollout(**{**rollout, "rollback_on": tuple(rollout["rollback_on"])}),
        challengers=tuple(_challenger(challenger, model, spec_dir) for challenger in endpoint["challengers"]),
    )


def _challenger(challenger: dict[str, Any], champion: dict[str, Any], spec_dir: Path) -> Challenger:
    return Challenger(
        variant=challenger["variant"],
        mode=challenger["mode"],
        percent=challenger["percent"],
        model=_model(challenger_model(champion, challenger["model"]), spec_dir),
        instance_type=challenger["instance_type"],
        instance_count=challenger["instance_count"],
    )


def challenger_model(champion: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """The champion's `model` section with a challenger's keys in place. Hyperparameters belong to an
    algorithm: a challenger that changes the algorithm starts from none unless it names its own."""
    merged = {**champion, **changes}
    if merged["algorithm"] != champion["algorithm"] and "hyperparameters" not in changes:
        merged["hyperparameters"] = {}
    return merged


def _realtime(realtime: dict[str, Any]) -> RealtimeEndpoint:
    scaling = realtime.get("autoscaling")  # absent or null: no auto scaling
    return RealtimeEndpoint(
        instance_type=realtime["instance_type"],
        instance_count=realtime["instance_count"],
        autoscaling=None if scaling is None else Autoscaling(
            min_instances=scaling["min"],
            max_instances=scaling["max"],
            target_invocations_per_instance=scaling["target_invocations"],
        ),
    )


def _monitoring(monitoring: dict[str, Any], model: ModelSpec, spec_dir: Path) -> MonitoringSpec:
    drift, completeness = monitoring["drift"], monitoring["completeness"]
    timezone = monitoring["timezone"]
    quality = monitoring.get("model_quality")  # absent or null: off
    return MonitoringSpec(
        schedule=schedule.translate(monitoring["schedule"], timezone),
        engine=monitoring["engine"],
        drift=DriftSpec(**{**drift, "features": frozen_map(drift["features"])}),
        completeness=CompletenessSpec(**{**completeness, "features": frozen_map(completeness["features"])}),
        data_type_threshold=monitoring["data_type_threshold"],
        domain_threshold=monitoring["domain_threshold"],
        emit_metrics=monitoring["emit_metrics"],
        enabled=monitoring["enabled"],
        runner=monitoring["runner"],
        glue=GlueJob(**monitoring["glue"]),
        model_quality=None if quality is None else _model_quality(quality, timezone, model, spec_dir),
        log_retention_days=monitoring["log_retention_days"],
        job_instance_type=monitoring["job_instance_type"],
        job_volume_gb=monitoring["job_volume_gb"],
    )


def _model_quality(quality: dict[str, Any], timezone: str, model: ModelSpec, spec_dir: Path) -> ModelQualitySpec:
    location = quality.get("ground_truth")  # None: the environment's default, decided where it is read
    if location is not None and not location.startswith("s3://"):
        location = str((spec_dir / location).resolve())  # like model.data.csv: relative to the spec file
    metrics = {name: QualityThreshold(bound["min"], "LessThanThreshold") if "min" in bound
               else QualityThreshold(bound["max"], "GreaterThanThreshold")
               for name, bound in quality["metrics"].items()}
    # Derived default: a prediction counts as fraud where the model flags it.
    threshold = quality["probability_threshold"] if "probability_threshold" in quality else model.decision_threshold
    return ModelQualitySpec(
        schedule=schedule.translate(quality["schedule"], timezone),
        probability_threshold=threshold,
        ground_truth=location,
        problem_type=quality["problem_type"],
        metrics=frozen_map(metrics),
        min_labels=quality["min_labels"],
        label_delay_hours=quality["label_delay_hours"],
    )


def _alarms(alarms: dict[str, Any]) -> AlarmsSpec:
    drift = alarms["drift"]  # null disables it
    plain = {key: value for key, value in alarms.items() if key not in ("notify", "drift")}
    return AlarmsSpec(
        notify=tuple(NotifyTarget(**target) for target in alarms["notify"]),
        drift=None if drift is None else DriftAlarm(**drift),
        **plain,
    )


def _environment(name: str, data: dict[str, Any]) -> Environment:
    env = data["environments"][name]
    state = dict(env["state"])
    if state["backend"] == "s3":
        # Derived defaults: the key is named after the spec and environment; the bucket's region is the environment's.
        state.setdefault("key", resource_names(data["team"], data["project"], data["name"], name).state_key)
        state.setdefault("region", env.get("region"))
    role = env["role"]
    return Environment(
        name=name,
        target=env["target"],
        region=env.get("region"),
        account=env.get("account"),
        bucket=env.get("bucket"),
        role_arn=None if role == "create" else role,
        state=StateBackend(**state),
        port=env["port"],
        tags=frozen_map(env["tags"]),
        production=env["production"],
        idle_after_days=env.get("idle_after_days"),
    )
