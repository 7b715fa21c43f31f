"""The models, the endpoint configuration and endpoint (with the spec's rollout policy), and realtime
auto scaling.

One `aws_sagemaker_model` per variant (the champion's is `model`, a challenger's `model_<variant>`):
the champion and A/B challengers are production variants sharing traffic by weight, a shadow
challenger is a shadow production variant. Data capture stays the endpoint's (SageMaker files each
variant's records under its own folder) and auto scaling the champion's.
"""

from __future__ import annotations

from typing import Any

from fraudspec.artifact.capture_settings import capture_environment
from fraudspec.monitoring.alarms.definitions import Alarm, alarms
from fraudspec.render import iam
from fraudspec.render.context import Context
from fraudspec.render.document import Bare, Expr, Template, content_name, template, without_nones
from fraudspec.render.images import sklearn_image
from fraudspec.spec.model import Spec, Variant

# The serving container runs code/inference.py from inside model.tar.gz (unpacked to /opt/ml/model).
SERVING_ENVIRONMENT = {
    "SAGEMAKER_PROGRAM": "inference.py",
    "SAGEMAKER_SUBMIT_DIRECTORY": "/opt/ml/model/code",
    "SAGEMAKER_CONTAINER_LOG_LEVEL": "20",
}
CAPTURE_CONTENT_TYPES = {"csv_content_types": ["text/csv"], "json_content_types": ["application/json"]}
SCALE_IN_COOLDOWN_SECONDS = 300
SCALE_OUT_COOLDOWN_SECONDS = 60
# SageMaker's limit on a blue/green update (BlueGreenUpdatePolicy.MaximumExecutionTimeoutInSeconds,
# which must exceed the rollout's waits: rule FS174), and the time given to provision the new fleet.
MAX_ROLLOUT_SECONDS = 14400
PROVISIONING_SECONDS = 1800


def render_endpoint(ctx: Context) -> Expr:
    """Models, endpoint configuration and endpoint; returns the endpoint's reference."""
    role = iam.execution_role_arn(ctx)  # one role serves every variant's model
    production: list[dict[str, Any]] = []
    shadow: list[dict[str, Any]] = []
    for variant in ctx.spec.endpoint.variants:
        served = _variant(ctx, variant, _model(ctx, role, variant))
        (production if variant.answers else shadow).append(served)
    config = ctx.config.resource("aws_sagemaker_endpoint_configuration", "endpoint", without_nones({
        # Every argument forces replacement: a fresh name per change, created before the old goes.
        "name_prefix": ctx.names.endpoint_config_prefix,
        "production_variants": production,
        "shadow_production_variants": shadow or None,
        "data_capture_config": _native_capture(ctx),
        "lifecycle": _config_lifecycle(ctx),
    }))
    return ctx.config.resource("aws_sagemaker_endpoint", "endpoint", without_nones({
        "name": ctx.names.endpoint,
        "endpoint_config_name": config.attr("name"),
        "deployment_config": _deployment_config(ctx.spec),
    }))


def _config_lifecycle(ctx: Context) -> dict[str, Any]:
    lifecycle: dict[str, Any] = {"create_before_destroy": True}
    realtime = ctx.spec.endpoint.realtime
    if realtime is not None and realtime.autoscaling is not None:
        # The spec's instance_count only starts the endpoint; afterwards the autoscaler owns the
        # count, and a new configuration rolled for a changed count alone would reset it. Only the
        # champion (production_variants[0]) scales; a challenger keeps its spec's count.
        lifecycle["ignore_changes"] = [Bare("production_variants[0].initial_instance_count")]
    return lifecycle


def _deployment_config(spec: Spec) -> list[dict[str, Any]] | None:
    """The rollout policy as SageMaker's DeploymentConfig: blue/green traffic shifting, rollback alarms.

    Canary and linear shifting take multi-variant endpoints (only rolling updates exclude them),
    but SageMaker refuses a guarded update whose new configuration changes the variant names:
    `fraudspec diff` warns about such a change (fraudspec.review.changes)."""
    rollout = spec.endpoint.rollout
    if rollout is None:
        return None
    routing: dict[str, Any] = {"type": rollout.strategy.upper(), "wait_interval_in_seconds": rollout.wait_seconds}
    if rollout.strategy != "all_at_once":
        size_key = "canary_size" if rollout.strategy == "canary" else "linear_step_size"
        routing[size_key] = [{"type": "CAPACITY_PERCENT", "value": rollout.percent}]
    config: dict[str, Any] = {"blue_green_update_policy": [{
        "traffic_routing_configuration": [routing],
        "termination_wait_in_seconds": rollout.final_bake_seconds,
        "maximum_execution_timeout_in_seconds": min(MAX_ROLLOUT_SECONDS,
                                                    rollout.waiting_seconds + PROVISIONING_SECONDS),
    }]}
    watched = rollback_alarms(spec)
    if watched:
        config["auto_rollback_configuration"] = [{"alarms": [
            {"alarm_name": Expr(f"aws_cloudwatch_metric_alarm.{alarm.key}.alarm_name")} for alarm in watched]}]
    return [config]


def rollback_alarms(spec: Spec) -> tuple[Alarm, ...]:
    """The spec's alarms that roll an update back (rollout.rollback_on; model_quality: all of them)."""
    rollout = spec.endpoint.rollout
    if rollout is None:
        return ()
    wanted = set(rollout.rollback_on)
    return tuple(alarm for alarm in alarms(spec)
                 if alarm.key in wanted or (alarm.source == "model_quality" and "model_quality" in wanted))


def rollback_alarm_names(spec: Spec) -> tuple[str, ...]:
    return tuple(alarm.name for alarm in rollback_alarms(spec))


def _model(ctx: Context, role: str | Expr, variant: Variant) -> Expr:
    challenger = None if variant.role == "champion" else variant.name
    container = {
        "image": sklearn_image(ctx.region).uri,
        "model_data_url": ctx.artifacts.of(challenger).model.uri,
        "environment": {**SERVING_ENVIRONMENT, "SAGEMAKER_REGION": ctx.region, **handler_capture_environment(ctx)},
    }
    body: dict[str, Any] = {"execution_role_arn": role, "primary_container": [container]}
    if ctx.spec.endpoint.kind == "realtime":
        # No network from inside the container; SageMaker itself fetches the model and captures.
        # (Serverless handlers write their own capture to S3, so they keep the network.)
        body["enable_network_isolation"] = True
    # Any change replaces the model, and the endpoint configuration that follows it is created
    # before the old one is destroyed, so the name must change with the content. A challenger's
    # digest also covers its variant name: one built like the champion's still needs a name of its own.
    body["name"] = content_name(ctx.names.model_prefix, body if challenger is None else {**body, "//": challenger})
    if isinstance(role, Expr):
        body["depends_on"] = [Bare("aws_iam_role_policy.model")]  # permissions before the endpoint starts
    return ctx.config.resource("aws_sagemaker_model", model_resource(challenger), body)


def model_resource(challenger: str | None) -> str:
    """The Terraform name of a variant's model (None: the champion's)."""
    return "model" if challenger is None else f"model_{challenger}"


def handler_capture_environment(ctx: Context) -> dict[str, str]:
    """Serverless endpoints have no native capture: the handler writes Model Monitor's layout."""
    if ctx.spec.endpoint.kind != "serverless" or not ctx.spec.capture.enabled:
        return {}
    if ctx.spec.capture.firehose is not None:  # the stream fraudspec.render.firehose renders
        return capture_environment(ctx.spec, f"firehose://{ctx.names.capture_stream}")
    return capture_environment(ctx.spec, ctx.names.s3_uri(ctx.names.capture_prefix))


def _variant(ctx: Context, variant: Variant, model: Expr) -> dict[str, Any]:
    endpoint = ctx.spec.endpoint
    served: dict[str, Any] = {"model_name": model.attr("name"), "variant_name": variant.name}
    if endpoint.serverless is not None:
        served["serverless_config"] = [without_nones({
            "memory_size_in_mb": endpoint.serverless.memory_mb,
            "max_concurrency": endpoint.serverless.max_concurrency,
            "provisioned_concurrency": endpoint.serverless.provisioned_concurrency,
        })]
    else:
        # Production variants share requests by weight; a shadow's weight relative to its
        # production variant's is the share of that variant's requests copied to it.
        served.update(instance_type=variant.instance_type, initial_instance_count=variant.instance_count,
                      initial_variant_weight=_weight(variant.weight, len(endpoint.variants)))
    return served


def _weight(weight: float, variants: int) -> int:
    """Whole percents (90 and 10; a shadow 20 beside its production variant's 100): the provider reads
    weights back as 32-bit floats, so 0.1 would return as 0.10000000149 and every plan would replace
    the endpoint configuration, while whole numbers survive. Alone, the variant weighs 1, as it always has."""
    return 1 if variants == 1 else round(weight * 100)


def _native_capture(ctx: Context) -> list[dict[str, Any]] | None:
    capture = ctx.spec.capture
    if ctx.spec.endpoint.kind != "realtime" or not capture.enabled:
        return None
    modes = [mode for mode, on in (("Input", capture.input), ("Output", capture.output)) if on]
    return [without_nones({
        "enable_capture": True,  # the provider's default is false
        "initial_sampling_percentage": capture.sampling_percent,
        "destination_s3_uri": ctx.names.s3_uri(ctx.names.capture_prefix),
        "kms_key_id": capture.kms_key_arn,
        "capture_options": [{"capture_mode": mode} for mode in modes],
        "capture_content_type_header": [CAPTURE_CONTENT_TYPES],
    })]


def render_autoscaling(ctx: Context, endpoint: Expr) -> None:
    realtime = ctx.spec.endpoint.realtime
    if realtime is None or realtime.autoscaling is None:
        return
    scaling = realtime.autoscaling
    target = ctx.config.resource("aws_appautoscaling_target", "endpoint", {
        "service_namespace": "sagemaker",
        "resource_id": _scaling_resource_id(ctx, endpoint),
        "scalable_dimension": "sagemaker:variant:DesiredInstanceCount",
        "min_capacity": scaling.min_instances,
        "max_capacity": scaling.max_instances,
    })
    ctx.config.resource("aws_appautoscaling_policy", "endpoint", {
        "name": ctx.names.scaling_policy,
        "policy_type": "TargetTrackingScaling",
        "service_namespace": target.attr("service_namespace"),
        "resource_id": target.attr("resource_id"),
        "scalable_dimension": target.attr("scalable_dimension"),
        "target_tracking_scaling_policy_configuration": [{
            "target_value": scaling.target_invocations_per_instance,
            "scale_in_cooldown": SCALE_IN_COOLDOWN_SECONDS,
            "scale_out_cooldown": SCALE_OUT_COOLDOWN_SECONDS,
            "predefined_metric_specification": [
                {"predefined_metric_type": "SageMakerVariantInvocationsPerInstance"},
            ],
        }],
    })


def _scaling_resource_id(ctx: Context, endpoint: Expr) -> Template:
    return template("endpoint/", endpoint.attr("name"), f"/variant/{ctx.names.variant}")
