"""The effective document of one environment, already validated, as a typed `Spec`.

Defaults live here and in schema.json (as documentation); tests/spec/test_parse.py checks that
the two agree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fraudspec.spec import schedule
from fraudspec.spec.model import (
    AlarmsSpec, Autoscaling, CaptureSpec, CompletenessSpec, CsvData, DriftAlarm, DriftSpec, EndpointSpec, Environment, Feature, ModelQualitySpec, ModelSpec, MonitoringSpec, NotifyTarget, QualityThreshold, RealtimeEndpoint, ServerlessEndpoint, Spec, StateBackend, SyntheticData, frozen_map,
)


def parse_spec(data: dict[str, Any], env: str, path: Path) -> Spec:
    model = _model(data["model"], path.resolve().parent)
    return Spec(
        path=path.resolve(),
        name=data["name"],
        team=data["team"],
        project=data["project"],
        tags=frozen_map(data.get("tags")),
        model=model,
        endpoint=_endpoint(data["endpoint"]),
        capture=CaptureSpec(**_present(data.get("capture"))),
        monitoring=_monitoring(data.get("monitoring") or {}, model, path.resolve().parent),
        alarms=_alarms(data.get("alarms") or {}),
        environment=_environment(env, data["environments"][env], data["name"]),
        environments=tuple(data["environments"]),
    )


def _present(section: dict[str, Any] | None) -> dict[str, Any]:
    return dict(section or {})


def _model(model: dict[str, Any], spec_dir: Path) -> ModelSpec:
    data = model["data"]
    source = (CsvData((spec_dir / data["csv"]).resolve()) if "csv" in data
              else SyntheticData(**_present(data.get("synthetic"))))
    rest = {k: model[k] for k in ("algorithm", "validation_fraction", "split_seed", "decision_threshold") if k in model}
    return ModelSpec(
        features=tuple(Feature(**feature) for feature in model["features"]),
        target=model["target"],
        data=source,
        hyperparameters=frozen_map(model.get("hyperparameters")),
        gate=frozen_map(model.get("gate")),
        **rest,
    )


def _endpoint(endpoint: dict[str, Any]) -> EndpointSpec:
    serverless = endpoint.get("serverless")
    realtime = endpoint.get("realtime")
    return EndpointSpec(
        serverless=ServerlessEndpoint(**serverless) if serverless is not None else None,
        realtime=_realtime(realtime) if realtime is not None else None,
        variant=endpoint.get("variant", "AllTraffic"),
    )


def _realtime(realtime: dict[str, Any]) -> RealtimeEndpoint:
    scaling = realtime.get("autoscaling")
    return RealtimeEndpoint(
        instance_type=realtime.get("instance_type", "ml.m5.large"),
        instance_count=realtime.get("instance_count", 1),
        autoscaling=None if scaling is None else Autoscaling(
            min_instances=scaling.get("min", 1),
            max_instances=scaling.get("max", 2),
            target_invocations_per_instance=scaling.get("target_invocations", 1000),
        ),
    )


def _monitoring(monitoring: dict[str, Any], model: ModelSpec, spec_dir: Path) -> MonitoringSpec:
    drift = _present(monitoring.get("drift"))
    drift["features"] = frozen_map(drift.get("features"))
    completeness = _present(monitoring.get("completeness"))
    completeness["features"] = frozen_map(completeness.get("features"))
    plain = {k: monitoring[k] for k in ("engine", "data_type_threshold", "domain_threshold", "emit_metrics", "enabled",
                                        "log_retention_days", "job_instance_type", "job_volume_gb") if k in monitoring}
    timezone = monitoring.get("timezone", "UTC")
    quality = monitoring.get("model_quality")
    return MonitoringSpec(
        schedule=schedule.translate(monitoring.get("schedule", "hourly"), timezone),
        drift=DriftSpec(**drift),
        completeness=CompletenessSpec(**completeness),
        model_quality=None if quality is None else _model_quality(quality, timezone, model, spec_dir),
        **plain,
    )


def _model_quality(quality: dict[str, Any], timezone: str, model: ModelSpec, spec_dir: Path) -> ModelQualitySpec:
    location = quality.get("ground_truth")
    if location is not None and not location.startswith("s3://"):
        location = str((spec_dir / location).resolve())  # like model.data.csv: relative to the spec file
    metrics = {name: QualityThreshold(bound["min"], "LessThanThreshold") if "min" in bound
               else QualityThreshold(bound["max"], "GreaterThanThreshold")
               for name, bound in (quality.get("metrics") or {}).items()}
    plain = {k: quality[k] for k in ("problem_type", "min_labels", "label_delay_hours") if k in quality}
    return ModelQualitySpec(
        schedule=schedule.translate(quality.get("schedule", "hourly"), timezone),
        probability_threshold=quality.get("probability_threshold", model.decision_threshold),
        ground_truth=location,
        metrics=frozen_map(metrics),
        **plain,
    )


def _alarms(alarms: dict[str, Any]) -> AlarmsSpec:
    plain = {k: v for k, v in alarms.items() if k not in ("notify", "drift")}
    drift: DriftAlarm | None = DriftAlarm()
    if "drift" in alarms:
        drift = None if alarms["drift"] is None else DriftAlarm(**alarms["drift"])
    return AlarmsSpec(
        notify=tuple(NotifyTarget(**target) for target in alarms.get("notify") or ()),
        drift=drift,
        **plain,
    )


def _environment(name: str, env: dict[str, Any], spec_name: str) -> Environment:
    state = _present(env.get("state"))
    if state.get("backend") == "s3":
        state.setdefault("key", f"fraudspec/{spec_name}/{name}/terraform.tfstate")
        state.setdefault("region", env.get("region"))
    role = env.get("role", "create")
    plain = {k: env[k] for k in ("target", "region", "account", "bucket", "port") if k in env}
    return Environment(
        name=name,
        role_arn=None if role == "create" else role,
        state=StateBackend(**state),
        tags=frozen_map(env.get("tags")),
        **plain,
    )
