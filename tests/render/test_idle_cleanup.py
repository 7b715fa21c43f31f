"""The idle clean-up (environments.<env>.idle_after_days): rendered, least-privilege, and run on moto.

What moto proves (tests marked slow run the rendered state machine in moto's Step Functions
interpreter, with its SageMaker, SNS and S3): an InService endpoint is deleted while its endpoint
configuration and model stay, the alarm targets' topic gets the message first, a JSON record of the
run lands under the environment's idle-cleanup prefix, and a second run finds nothing to delete and
says so. What moto cannot prove: that the CloudWatch alarm fires on N days of missing Invocations
(moto's alarms never change state by themselves), that EventBridge delivers the alarm's state change
to the state machine through the input transformer, that IAM denies what the role does not grant
(moto does not enforce IAM here), the KMS-encrypted topic and log group, the execution logging, and
the endpoint-not-InService branch (moto's endpoints are always InService).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from render_variants import VARIANTS, render_variant

SERVERLESS, REALTIME, MINIMAL = VARIANTS[:3]  # the fourth, firehose, has tests of its own
ENDPOINT, BUCKET, REGION = "rc-project-a-fraud-detection-test", "acme-sm-rc-project-a", "ap-southeast-1"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict:
    return json.loads(render_variant(SERVERLESS, tmp_path_factory.mktemp("idle"))["fraudspec.tf.json"])


def test_the_idle_alarm_watches_invocations_for_whole_days(rendered: dict) -> None:
    alarm = rendered["resource"]["aws_cloudwatch_metric_alarm"]["idle"]
    assert (alarm["metric_name"], alarm["statistic"], alarm["period"], alarm["evaluation_periods"]) == \
        ("Invocations", "Sum", 86400, 3)
    assert (alarm["comparison_operator"], alarm["threshold"], alarm["treat_missing_data"]) == \
        ("LessThanThreshold", 1, "breaching")
    assert alarm["dimensions"] == {"EndpointName": ENDPOINT, "VariantName": "AllTraffic"}
    assert alarm["alarm_actions"] == ["${aws_sns_topic.alerts.arn}"]  # the alarm targets hear it first


def test_the_rule_starts_the_job_on_the_alarm_only(rendered: dict) -> None:
    pattern = json.loads(rendered["resource"]["aws_cloudwatch_event_rule"]["idle"]["event_pattern"])
    assert pattern["detail"] == {"alarmName": [f"{ENDPOINT}-idle"], "state": {"value": ["ALARM"]}}
    target = rendered["resource"]["aws_cloudwatch_event_target"]["idle"]
    assert target["arn"] == "${aws_sfn_state_machine.idle.arn}"


def test_the_job_may_delete_this_endpoint_only(rendered: dict) -> None:
    statements = {s["sid"]: s for s in
                  rendered["data"]["aws_iam_policy_document"]["idle"]["statement"]}
    assert statements["DeleteIdleEndpoint"]["actions"] == ["sagemaker:DeleteEndpoint", "sagemaker:DescribeEndpoint"]
    assert statements["DeleteIdleEndpoint"]["resources"] == [
        f"arn:aws:sagemaker:{REGION}:123456789012:endpoint/{ENDPOINT}"]
    assert statements["Record"]["resources"] == [f"arn:aws:s3:::{BUCKET}/fraudspec/fraud-detection/test/idle-cleanup/*"]
    everything = [action for s in statements.values() for action in s["actions"]]
    assert not [a for a in everything if a.startswith("sagemaker:") and "Endpoint" not in a]
    assert "sagemaker:DeleteEndpointConfig" not in everything and "sagemaker:DeleteModel" not in everything
    events = rendered["data"]["aws_iam_policy_document"]["idle_events"]["statement"]
    assert [(s["actions"], s["resources"]) for s in events] == [
        (["states:StartExecution"], ["${aws_sfn_state_machine.idle.arn}"])]


def test_no_idle_resources_without_the_setting(tmp_path: Path) -> None:
    resources = json.loads(render_variant(REALTIME, tmp_path)["fraudspec.tf.json"])["resource"]
    assert "idle" not in resources["aws_cloudwatch_metric_alarm"]
    assert "aws_sfn_state_machine" not in resources and "aws_cloudwatch_event_rule" not in resources


def _run(definition: str, execution: str) -> dict:
    """Runs the rendered state machine in moto until it ends; the clients and the run's description."""
    import boto3

    sfn = boto3.client("stepfunctions", region_name=REGION)
    role = boto3.client("iam", region_name=REGION).get_role(RoleName="job")["Role"]["Arn"]
    machines = sfn.list_state_machines()["stateMachines"]
    arn = machines[0]["stateMachineArn"] if machines else \
        sfn.create_state_machine(name="idle", definition=definition, roleArn=role)["stateMachineArn"]
    run = sfn.start_execution(stateMachineArn=arn, name=execution, input=json.dumps(
        {"alarm": f"{ENDPOINT}-idle", "time": "2026-12-01T00:00:00Z", "reason": "Threshold Crossed: 3 datapoints"}))
    for _ in range(200):
        described = sfn.describe_execution(executionArn=run["executionArn"])
        if described["status"] != "RUNNING":
            return described
        time.sleep(0.05)
    raise AssertionError("the state machine did not finish")


@pytest.mark.slow  # moto's Step Functions interpreter runs the machine: about a second
def test_the_job_deletes_the_endpoint_keeps_its_configuration_notifies_and_records(rendered: dict,
                                                                                   monkeypatch) -> None:
    import boto3
    from moto import mock_aws
    from moto.sns.models import sns_backends

    for name, value in {"AWS_ACCESS_KEY_ID": "t", "AWS_SECRET_ACCESS_KEY": "t", "AWS_DEFAULT_REGION": REGION}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
        sagemaker, s3 = boto3.client("sagemaker", region_name=REGION), boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        topic = boto3.client("sns", region_name=REGION).create_topic(Name=f"{ENDPOINT}-alerts")["TopicArn"]
        role = boto3.client("iam", region_name=REGION).create_role(RoleName="job", AssumeRolePolicyDocument="{}")
        sagemaker.create_model(ModelName="model", ExecutionRoleArn=role["Role"]["Arn"],
                               PrimaryContainer={"Image": "image"})
        sagemaker.create_endpoint_config(EndpointConfigName="config", ProductionVariants=[{
            "VariantName": "AllTraffic", "ModelName": "model",
            "ServerlessConfig": {"MemorySizeInMB": 2048, "MaxConcurrency": 5}}])
        sagemaker.create_endpoint(EndpointName=ENDPOINT, EndpointConfigName="config")
        definition = rendered["resource"]["aws_sfn_state_machine"]["idle"]["definition"].replace(
            "${aws_sns_topic.alerts.arn}", topic)

        first = _run(definition, "first")
        assert first["status"] == "SUCCEEDED", first.get("cause")
        assert sagemaker.list_endpoints()["Endpoints"] == []
        assert [c["EndpointConfigName"] for c in sagemaker.list_endpoint_configs()["EndpointConfigs"]] == ["config"]
        assert [m["ModelName"] for m in sagemaker.list_models()["Models"]] == ["model"]
        [message] = sns_backends["123456789012"][REGION].topics[topic].sent_notifications
        assert message[2] == "fraudspec: deleting idle endpoint test"
        assert "keeps its endpoint configuration config and model: `fraudspec apply --env test`" in message[1]
        key = "fraudspec/fraud-detection/test/idle-cleanup/first.json"
        record = json.loads(s3.get_object(Bucket=BUCKET, Key=key)["Body"].read())
        assert (record["action"], record["endpoint"], record["endpoint_config"], record["idle_after_days"]) == \
            ("deleted", ENDPOINT, "config", 3)

        second = _run(definition, "second")
        assert second["status"] == "SUCCEEDED", second.get("cause")
        record = json.loads(s3.get_object(Bucket=BUCKET, Key=key.replace("first", "second"))["Body"].read())
        assert (record["action"], record["reason"]) == ("none", "the endpoint does not exist (already deleted)")
        assert len(sns_backends["123456789012"][REGION].topics[topic].sent_notifications) == 1  # no second notice
