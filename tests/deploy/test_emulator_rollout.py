"""A realtime endpoint with auto scaling and a canary rollout, against the AWS emulator: apply,
`status` from AWS, the autoscaler's instance count left alone by a second plan, and a rollback
reported as an error that names its alarm.

What the emulator cannot show: moto creates the endpoint InService at once, neither keeps nor acts
on the deployment_config (Terraform's state holds it), never shifts traffic, bakes or rolls back (it
has no UpdateEndpoint and its alarms never act), and no autoscaler runs. So the test plays the autoscaler
(UpdateEndpointWeightsAndCapacities, the call Application Auto Scaling makes) and the rollback
(the endpoint left on the old configuration while its rollback alarm is in ALARM) itself.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import boto3
import pytest
from deploy_support import fake_lambda_wheels

from fraudspec.core.errors import FraudspecError
from fraudspec.deploy import aws
from fraudspec.deploy.verify import verify_deployed
from fraudspec.render.endpoint import rollback_alarm_names
from fraudspec.spec.load import load_spec

pytestmark = pytest.mark.slow  # a moto server and real terraform init, plan, apply and destroy

SPEC = Path(__file__).parent / "specs" / "emulator-realtime.yaml"
ENV, REGION, BUCKET = "emu", "us-east-1", "fraudspec-emulator"
ENDPOINT = "rc-project-a-fraud-detection-emu"
MOTO_DRIFT = {("aws_lambda_function.monitor", "update"), ("aws_iam_role_policy.scheduler", "update")}


def _project(root: Path) -> Path:
    (root / "specs").mkdir(parents=True)
    spec_file = root / "specs" / SPEC.name
    shutil.copyfile(SPEC, spec_file)
    fake_lambda_wheels(root / "build" / "cache" / "lambda-wheels")
    return spec_file


def test_canary_endpoint_status_and_the_autoscalers_count(tmp_path, aws_env, offline_terraform, cli, capsys) -> None:
    spec_file = _project(tmp_path / "project")
    boto3.client("s3", region_name=REGION).create_bucket(Bucket=BUCKET)
    assert cli(["build", "--spec", str(spec_file), "--env", ENV, "--no-progress"]) == 0
    assert cli(["apply", "--spec", str(spec_file), "--env", ENV, "--auto-approve", "--no-progress"]) == 0
    capsys.readouterr()
    sagemaker = boto3.client("sagemaker", region_name=REGION)
    endpoint = sagemaker.describe_endpoint(EndpointName=ENDPOINT)
    state = json.loads((load_spec(spec_file, ENV).workspace.root / "emulator" / "terraform.tfstate").read_text())
    [deployed] = [r for r in state["resources"] if r["type"] == "aws_sagemaker_endpoint"]
    [config] = deployed["instances"][0]["attributes"]["deployment_config"]
    [routing] = config["blue_green_update_policy"][0]["traffic_routing_configuration"]
    assert (routing["type"], routing["wait_interval_in_seconds"], routing["canary_size"][0]["value"]) == (
        "CANARY", 300, 50)
    assert {a["alarm_name"] for a in config["auto_rollback_configuration"][0]["alarms"]} == {
        f"{ENDPOINT}-model-latency", f"{ENDPOINT}-error-5xx-rate"}

    # The autoscaler scales out to 3 instances.
    sagemaker.update_endpoint_weights_and_capacities(EndpointName=ENDPOINT, DesiredWeightsAndCapacities=[
        {"VariantName": "AllTraffic", "DesiredInstanceCount": 3}])

    assert cli(["status", "--spec", str(spec_file), "--env", ENV]) == 0
    text = capsys.readouterr().out
    assert f"endpoint {ENDPOINT} is InService [AWS EMULATOR at {aws_env}]" in text
    assert f"config    {endpoint['EndpointConfigName']}" in text
    assert "variant   AllTraffic: weight 1, " in text and "x ml.m5.large (desired 3)" in text
    assert "monitor   no monitoring execution found yet" in text
    assert f"alarm     {ENDPOINT}-error-5xx-rate: " in text
    assert cli(["status", "--spec", str(spec_file), "--env", ENV, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["target"] == "aws" and doc["status"] == "InService" and doc["emulator"] == aws_env
    assert doc["variants"][0]["desired_instances"] == 3 and doc["variants"][0]["instance_type"] == "ml.m5.large"

    # An unchanged spec applied again: the plan leaves the endpoint and its configuration alone.
    spec = load_spec(spec_file, ENV)
    planned = aws.plan(spec, echo=lambda line: None)
    second = {(c.address, c.action) for c in planned.changes}
    assert second == MOTO_DRIFT
    # Nor does a changed instance_count alone roll a new configuration that would reset the count.
    spec_file.write_text(spec_file.read_text().replace("instance_count: 2", "instance_count: 3"))
    third = {(c.address, c.action) for c in aws.plan(load_spec(spec_file, ENV), echo=lambda line: None).changes}
    assert third == MOTO_DRIFT
    described = sagemaker.describe_endpoint(EndpointName=ENDPOINT)
    assert described["EndpointConfigName"] == endpoint["EndpointConfigName"]
    assert described["ProductionVariants"][0]["DesiredInstanceCount"] == 3

    assert cli(["destroy", "--spec", str(spec_file), "--env", ENV, "--auto-approve"]) == 0
    assert sagemaker.list_endpoints()["Endpoints"] == []
    assert cli(["status", "--spec", str(spec_file), "--env", ENV]) == 3
    assert f"endpoint {ENDPOINT} is absent" in capsys.readouterr().out


def test_a_rollback_is_an_error_naming_the_alarm_and_what_to_do(tmp_path, aws_env) -> None:
    spec = load_spec(_project(tmp_path / "project"), ENV)
    sagemaker = boto3.client("sagemaker", region_name=REGION)
    cloudwatch = boto3.client("cloudwatch", region_name=REGION)
    sagemaker.create_model(ModelName="m", ExecutionRoleArn="arn:aws:iam::123456789012:role/r",
                           PrimaryContainer={"Image": "img"})
    variant = {"VariantName": "AllTraffic", "ModelName": "m", "InstanceType": "ml.m5.large",
               "InitialInstanceCount": 2}
    for config in ("old-config", "new-config"):
        sagemaker.create_endpoint_config(EndpointConfigName=config, ProductionVariants=[variant])
    sagemaker.create_endpoint(EndpointName=ENDPOINT, EndpointConfigName="old-config")  # as SageMaker left it
    for name in rollback_alarm_names(spec):
        cloudwatch.put_metric_alarm(AlarmName=name, MetricName="Invocation5XXErrors", Namespace="AWS/SageMaker",
                                    Statistic="Sum", Period=60, EvaluationPeriods=1, Threshold=0,
                                    ComparisonOperator="GreaterThanThreshold")
    firing = f"{ENDPOINT}-error-5xx-rate"
    cloudwatch.set_alarm_state(AlarmName=firing, StateValue="ALARM", StateReason="5xx above 0.1%")

    verify_deployed(spec, sagemaker, cloudwatch, ENDPOINT, "old-config")  # serving what was rendered: fine
    with pytest.raises(FraudspecError) as raised:
        verify_deployed(spec, sagemaker, cloudwatch, ENDPOINT, "new-config")
    message, hint = str(raised.value), raised.value.hint
    assert f"SageMaker rolled endpoint {ENDPOINT} back" in message and "on old-config, not on new-config" in message
    assert f"rollback alarm {firing} is in ALARM" in message and f"{ENDPOINT}-model-latency" not in message
    assert "fraudspec build --env emu" in hint and "fraudspec apply --env emu" in hint
