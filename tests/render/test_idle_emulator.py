"""The rendered idle clean-up, applied by Terraform to the moto emulator and run there.

From the serverless golden (idle_after_days: 3) the test keeps the idle clean-up's resources and
what they reference (the alerts topic and its key) and applies them with the real hashicorp/aws
provider against a moto server. All but two: the provider validates a state machine's definition
at plan time with ValidateStateMachineDefinition, which moto 5.2 does not implement, and retries
it without end; so the state machine is created from the rendered definition with boto3 (the
topic's ARN filled in as Terraform would) under the role Terraform created, and the rule's target
is not created. The machine then runs on an endpoint made in moto: the endpoint goes, its
configuration and model stay, the record lands in the bucket. Then `destroy`. What moto cannot
prove otherwise is listed in tests/render/test_idle_cleanup.py.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from render_variants import VARIANTS, render_variant

from fraudspec.deploy.terraform import Terraform

pytestmark = pytest.mark.slow  # a moto server and terraform init, plan, apply, destroy: tens of seconds

SERVERLESS = VARIANTS[0]
REGION, BUCKET, ENDPOINT = "ap-southeast-1", "acme-sm-rc-project-a", "rc-project-a-fraud-detection-test"
KEPT = ("aws_sns_topic.alerts", "aws_kms_key.fraudspec", "aws_cloudwatch_metric_alarm.idle",
        "aws_cloudwatch_log_group.idle", "aws_iam_role.idle", "aws_iam_role_policy.idle",
        "aws_cloudwatch_event_rule.idle", "aws_iam_role.idle_events")  # see the docstring for what is left out


@pytest.fixture
def moto(tmp_path: Path) -> Iterator[str]:
    """A moto server that runs state machines, on a free port (MOTO_PORT: its SDK tasks call itself)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                               env={**os.environ, "MOTO_PORT": str(port)}, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}/moto-api/", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        request = urllib.request.Request(f"{url}/moto-api/config", method="POST", data=json.dumps(
            {"stepfunctions": {"execute_state_machine": True}}).encode())
        urllib.request.urlopen(request, timeout=5).close()
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _idle_only(rendered: dict[str, str]) -> dict[str, str]:
    """The rendered files with only KEPT resources (and every data source, which are local)."""
    document = json.loads(rendered["fraudspec.tf.json"])
    resources = {kind: {name: body for name, body in named.items() if f"{kind}.{name}" in KEPT}
                 for kind, named in document["resource"].items()}
    document["resource"] = {kind: named for kind, named in resources.items() if named}
    document.pop("output", None)
    document.pop("variable", None)
    data = document["data"]["aws_iam_policy_document"]
    document["data"] = {"aws_iam_policy_document": {name: body for name, body in data.items()
                                                    if name in ("key", "idle", "idle_assume",
                                                                "idle_events_assume")}}
    return {**rendered, "fraudspec.tf.json": json.dumps(document, indent=2)}


def test_terraform_creates_the_idle_cleanup_and_it_runs(moto: str, offline_terraform, tmp_path: Path,
                                                       monkeypatch) -> None:
    import boto3

    environ = {**offline_terraform.environ, "AWS_ENDPOINT_URL": moto, "AWS_ACCESS_KEY_ID": "testing",
               "AWS_SECRET_ACCESS_KEY": "testing", "AWS_MAX_ATTEMPTS": "2"}
    environ.pop("AWS_PROFILE", None)
    for name in ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, environ[name])
    workdir = tmp_path / "terraform"
    workdir.mkdir()
    rendered_files = render_variant(SERVERLESS, tmp_path / "project")
    for name, text in _idle_only(rendered_files).items():
        (workdir / name).write_text(text)
    terraform = Terraform(offline_terraform.binary, workdir, environ=environ)
    terraform.init()
    assert terraform.plan(workdir / "plan")
    terraform.apply(workdir / "plan")

    events = boto3.client("events", region_name=REGION)
    rule = events.describe_rule(Name=f"{ENDPOINT}-idle-cleanup")
    assert json.loads(rule["EventPattern"])["detail"]["alarmName"] == [f"{ENDPOINT}-idle"]
    iam = boto3.client("iam", region_name=REGION)
    role = iam.get_role(RoleName=f"{ENDPOINT}-idle-cleanup")["Role"]
    assert "states.amazonaws.com" in json.dumps(role["AssumeRolePolicyDocument"])
    policy = iam.get_role_policy(RoleName=role["RoleName"], PolicyName="fraudspec")["PolicyDocument"]
    assert f"endpoint/{ENDPOINT}" in json.dumps(policy)
    topic = boto3.client("sns", region_name=REGION).list_topics()["Topics"][0]["TopicArn"]
    sfn = boto3.client("stepfunctions", region_name=REGION)
    definition = json.loads(rendered_files["fraudspec.tf.json"])["resource"]["aws_sfn_state_machine"]["idle"]
    machine = sfn.create_state_machine(name=definition["name"], roleArn=role["Arn"], definition=definition[
        "definition"].replace("${aws_sns_topic.alerts.arn}", topic))
    [alarm] = boto3.client("cloudwatch", region_name=REGION).describe_alarms(
        AlarmNames=[f"{ENDPOINT}-idle"])["MetricAlarms"]
    assert (alarm["MetricName"], alarm["Period"], alarm["EvaluationPeriods"], alarm["TreatMissingData"]) == \
        ("Invocations", 86400, 3, "breaching")

    sagemaker, s3 = boto3.client("sagemaker", region_name=REGION), boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    sagemaker.create_model(ModelName="model", ExecutionRoleArn=role["Arn"], PrimaryContainer={"Image": "image"})
    sagemaker.create_endpoint_config(EndpointConfigName="config", ProductionVariants=[{
        "VariantName": "AllTraffic", "ModelName": "model",
        "ServerlessConfig": {"MemorySizeInMB": 2048, "MaxConcurrency": 5}}])
    sagemaker.create_endpoint(EndpointName=ENDPOINT, EndpointConfigName="config")
    run = sfn.start_execution(stateMachineArn=machine["stateMachineArn"], name="idle", input=json.dumps(
        {"alarm": f"{ENDPOINT}-idle", "time": "2026-12-01T00:00:00Z", "reason": "Threshold Crossed"}))
    for _ in range(200):
        described = sfn.describe_execution(executionArn=run["executionArn"])
        if described["status"] != "RUNNING":
            break
        time.sleep(0.05)
    assert described["status"] == "SUCCEEDED", described.get("cause")
    assert sagemaker.list_endpoints()["Endpoints"] == []
    assert [c["EndpointConfigName"] for c in sagemaker.list_endpoint_configs()["EndpointConfigs"]] == ["config"]
    record = json.loads(s3.get_object(Bucket=BUCKET, Key="fraudspec/fraud-detection/test/idle-cleanup/idle.json")
                        ["Body"].read())
    assert record["action"] == "deleted"

    sfn.delete_state_machine(stateMachineArn=machine["stateMachineArn"])
    assert terraform.plan(workdir / "destroy", destroy=True)
    terraform.apply(workdir / "destroy")
    assert events.list_rules()["Rules"] == []
