"""The rollout policy rendered as the endpoint's deployment_config, and the endpoint configuration's
lifecycle under auto scaling (the goldens show them whole; test_validate.py checks them against the
real provider)."""

from __future__ import annotations

import json
from pathlib import Path

from render_variants import VARIANTS, render_variant

SERVERLESS, REALTIME, MINIMAL = VARIANTS[:3]  # the fourth, firehose, has tests of its own


def _document(variant, tmp_path: Path) -> dict:
    return json.loads(render_variant(variant, tmp_path)["fraudspec.tf.json"])


def test_a_canary_becomes_a_blue_green_policy_rolled_back_by_the_spec_alarms(tmp_path) -> None:
    document = _document(REALTIME, tmp_path)
    resources = document["resource"]
    [config] = resources["aws_sagemaker_endpoint"]["endpoint"]["deployment_config"]
    [policy] = config["blue_green_update_policy"]
    assert policy["traffic_routing_configuration"] == [{
        "type": "CANARY", "wait_interval_in_seconds": 300,
        "canary_size": [{"type": "CAPACITY_PERCENT", "value": 50}]}]
    assert policy["termination_wait_in_seconds"] == 600
    assert policy["maximum_execution_timeout_in_seconds"] == 300 + 600 + 1800  # waits plus provisioning
    alarms = [entry["alarm_name"] for entry in config["auto_rollback_configuration"][0]["alarms"]]
    assert alarms == ["${aws_cloudwatch_metric_alarm.model_latency.alarm_name}",
                      "${aws_cloudwatch_metric_alarm.error_5xx_rate.alarm_name}",
                      "${aws_cloudwatch_metric_alarm.cpu.alarm_name}"]
    for reference in alarms:
        assert reference.split(".")[1] in resources["aws_cloudwatch_metric_alarm"], "each names a rendered alarm"


def test_without_a_rollout_the_endpoint_keeps_sagemakers_default_update(tmp_path) -> None:
    for variant in (SERVERLESS, MINIMAL):
        endpoint = _document(variant, tmp_path / variant.name)["resource"]["aws_sagemaker_endpoint"]["endpoint"]
        assert "deployment_config" not in endpoint


def test_under_auto_scaling_the_instance_count_only_starts_the_endpoint(tmp_path) -> None:
    realtime = _document(REALTIME, tmp_path / "r")["resource"]["aws_sagemaker_endpoint_configuration"]["endpoint"]
    assert realtime["lifecycle"] == {"create_before_destroy": True,
                                     "ignore_changes": ["production_variants[0].initial_instance_count"]}
    serverless = _document(SERVERLESS, tmp_path / "s")["resource"]["aws_sagemaker_endpoint_configuration"]["endpoint"]
    assert serverless["lifecycle"] == {"create_before_destroy": True}


def test_the_rendered_configuration_is_an_output_apply_verifies(tmp_path) -> None:
    outputs = _document(SERVERLESS, tmp_path)["output"]
    assert outputs["endpoint_config_name"] == {"value": "${aws_sagemaker_endpoint.endpoint.endpoint_config_name}"}


def test_the_canary_example_is_a_realtime_canary_with_its_terraform_committed() -> None:
    from fraudspec.cli.main import main
    from fraudspec.spec.load import load_spec

    example = Path(__file__).resolve().parents[2] / "specs" / "fraud-detection-canary.yaml"
    spec = load_spec(example, "prod")
    assert spec.endpoint.kind == "realtime" and spec.endpoint.rollout is not None
    assert (spec.endpoint.rollout.strategy, spec.endpoint.rollout.percent) == ("canary", 50)
    assert main(["render", "--check", "--spec", str(example)]) == 0, "terraform/prod/ is stale: render it"
