"""moto server as fraudspec's AWS emulator, with the round-trip gaps that real AWS does not have closed.

moto 5.2 (the dev extra) differs from AWS in eight places that matter to an apply, its second
plan and the commands that read AWS, and each is fixed here, in the emulator process only:
- Application Auto Scaling has no ListTagsForResource/TagResource/UntagResource, which the provider
  calls for every scalable target: without them a realtime endpoint with auto scaling cannot be
  applied at all. Here tags are kept per target ARN.
- DescribeModel answers an empty VpcConfig for a model created without one (AWS omits it): the
  provider reads a VPC block and plans to replace the model and its endpoint configuration.
- DescribeEndpointConfig answers an empty DataCaptureConfig likewise (serverless endpoints).
- CreateModel drops EnableNetworkIsolation (realtime models set it): the provider would replace
  the model after every apply. Here it is kept per model and answered back.
- CreateEndpoint drops the DeploymentConfig (the rollout policy), so DescribeEndpoint's
  LastDeploymentConfig, which the provider reads it back from, is empty: every plan would add it
  again. Here it is kept per endpoint and answered back (never acted on: moto updates no endpoint).
- CreateEndpointConfig drops the ShadowProductionVariants (a shadow challenger): the provider would
  replace the configuration after every apply, and `fraudspec status` could not show the shadow.
  Here they are kept per configuration, answered back by DescribeEndpointConfig, and DescribeEndpoint
  answers them live (weights and instance counts as requested, as moto does for production variants).
- Step Functions has no ValidateStateMachineDefinition, which the provider calls before creating a
  state machine (idle clean-up): here every definition validates (moto runs none anyway).
- CloudWatch has no DescribeAlarmHistory (`fraudspec drift` reads it): here it answers an empty
  history, which is what moto holds (its alarms never change state by themselves).
Everything else is moto as released; see fraudspec.deploy.emulator for what it still cannot show.

    python -m fraudspec.deploy.emulator_moto PORT
"""

from __future__ import annotations

import json
import sys
from typing import Any


def patch() -> None:
    from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse
    from moto.cloudwatch.responses import CloudWatchResponse
    from moto.core.responses import ActionResult
    from moto.sagemaker.responses import SageMakerResponse
    from moto.stepfunctions.responses import StepFunctionResponse

    tags: dict[str, dict[str, str]] = {}
    register = ApplicationAutoScalingResponse.register_scalable_target

    def register_scalable_target(self: Any) -> str:
        body = register(self)
        tags.setdefault(json.loads(body)["ScalableTargetARN"], {}).update(self._get_param("Tags") or {})
        return body

    def list_tags_for_resource(self: Any) -> str:
        return json.dumps({"Tags": tags.get(self._get_param("ResourceARN"), {})})

    def tag_resource(self: Any) -> str:
        tags.setdefault(self._get_param("ResourceARN"), {}).update(self._get_param("Tags") or {})
        return "{}"

    def untag_resource(self: Any) -> str:
        held = tags.get(self._get_param("ResourceARN"), {})
        for key in self._get_param("TagKeys") or []:
            held.pop(key, None)
        return "{}"

    ApplicationAutoScalingResponse.register_scalable_target = register_scalable_target  # type: ignore[method-assign]
    ApplicationAutoScalingResponse.list_tags_for_resource = list_tags_for_resource  # type: ignore[attr-defined]
    ApplicationAutoScalingResponse.tag_resource = tag_resource  # type: ignore[attr-defined]
    ApplicationAutoScalingResponse.untag_resource = untag_resource  # type: ignore[attr-defined]

    def without_empty(method: Any, key: str) -> Any:
        def described(self: Any) -> Any:
            result = method(self)
            body = dict(result.result)
            if not body.get(key):
                body.pop(key, None)
            return ActionResult(body)
        return described

    CloudWatchResponse.describe_alarm_history = (  # type: ignore[attr-defined]
        lambda self: ActionResult({"AlarmHistoryItems": []}))
    StepFunctionResponse.validate_state_machine_definition = (  # type: ignore[attr-defined]
        lambda self: ActionResult({"result": "OK", "diagnostics": []}))
    _keep(SageMakerResponse, ActionResult, "endpoint", "DeploymentConfig", "LastDeploymentConfig")
    _keep(SageMakerResponse, ActionResult, "model", "EnableNetworkIsolation", "EnableNetworkIsolation")
    shadows = _keep(SageMakerResponse, ActionResult, "endpoint_config", "ShadowProductionVariants",
                    "ShadowProductionVariants")
    describe_endpoint: Any = SageMakerResponse.describe_endpoint

    def described_endpoint(self: Any) -> Any:
        body = dict(describe_endpoint(self).result)
        declared = shadows.get(body.get("EndpointConfigName", ""))
        if declared:
            body["ShadowProductionVariants"] = [_live(variant) for variant in declared]
        return ActionResult(body)

    SageMakerResponse.describe_endpoint = described_endpoint  # type: ignore[method-assign]
    SageMakerResponse.describe_model = without_empty(SageMakerResponse.describe_model, "VpcConfig")  # type: ignore[method-assign]
    SageMakerResponse.describe_endpoint_config = without_empty(  # type: ignore[method-assign]
        SageMakerResponse.describe_endpoint_config, "DataCaptureConfig")


def _live(declared: dict[str, Any]) -> dict[str, Any]:
    """A configuration's variant as DescribeEndpoint answers it once in service: what was asked for."""
    live: dict[str, Any] = {"VariantName": declared["VariantName"]}
    for asked, current, desired in (("InitialVariantWeight", "CurrentWeight", "DesiredWeight"),
                                    ("InitialInstanceCount", "CurrentInstanceCount", "DesiredInstanceCount")):
        if declared.get(asked) is not None:
            live[current] = live[desired] = declared[asked]
    return live


def _keep(response: Any, result_type: Any, noun: str, param: str, answered_as: str) -> dict[str, Any]:
    """Remember `param` of create_<noun> per name and answer it back as `answered_as` in describe_<noun>;
    returns what is held, by name."""
    held: dict[str, Any] = {}
    name_param = "".join(part.title() for part in noun.split("_")) + "Name"
    create, describe, delete = (getattr(response, f"{verb}_{noun}") for verb in ("create", "describe", "delete"))

    def created(self: Any) -> Any:
        answer = create(self)
        if self._get_param(param) is not None:
            held[self._get_param(name_param)] = self._get_param(param)
        return answer

    def described(self: Any) -> Any:
        body = dict(describe(self).result)
        if body.get(name_param) in held:
            body[answered_as] = held[body[name_param]]
        return result_type(body)

    def deleted(self: Any) -> Any:
        held.pop(self._get_param(name_param), None)
        return delete(self)

    for verb, method in (("create", created), ("describe", described), ("delete", deleted)):
        setattr(response, f"{verb}_{noun}", method)
    return held


def main(argv: list[str]) -> None:
    from moto.server import main as moto_main

    patch()
    moto_main(["-H", "127.0.0.1", "-p", argv[0]])


if __name__ == "__main__":
    main(sys.argv[1:])
