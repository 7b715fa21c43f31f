"""`fraudspec build` (trains, locks, renders), `apply`, a second plan and `destroy`, end to end against moto.

The real CLI, the real terraform binary and the real hashicorp/aws provider; only AWS is
emulated, by the emulator `make emulator` runs (fraudspec.deploy.emulator: the same variables
point boto3, the provider and fraudspec at it). A user's own `*.tf.json` beside the
rendered files is never touched (the test checks that too).

What the emulator cannot show, and how this test handles it:
- moto keeps no Lambda LoggingConfig: the second plan updates the function and the scheduler's
  policy (which names the function). The test asserts that exactly this drift, and nothing else,
  remains. (moto's empty VpcConfig and DataCaptureConfig echoes are fixed in the emulator.)
- invoke_endpoint returns canned bodies, so apply skips its smoke invocation and says why.
- Endpoints are InService at once and never roll back, so the wait is exercised but never waits.
- Monitoring schedules (engine sagemaker) and Application Auto Scaling tags are not implemented:
  the realtime variant is proven by `terraform validate` and the schema check, not applied here.
- Alarms never fire and SNS delivers nothing (the email subscription is only recorded).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import boto3
import pytest
from deploy_support import fake_lambda_wheels

from fraudspec.deploy import aws, emulator
from fraudspec.lock.file import lock_path, read_lock
from fraudspec.render.artifacts import artifacts_from_lock
from fraudspec.spec.load import load_spec

pytestmark = pytest.mark.slow  # a moto server and a real terraform init, plan, apply and destroy

SPEC = Path(__file__).parent / "specs" / "emulator.yaml"
ENV, REGION, BUCKET = "emu", "us-east-1", "fraudspec-emulator"
ENDPOINT = "rc-project-a-fraud-detection-emu"
SERVICES = ("appautoscaling", "cloudwatch", "iam", "kms", "lambda", "logs", "sagemaker", "scheduler", "s3", "sns",
            "sts")
# The second plan's drift that comes from moto itself (see the module docstring).
MOTO_DRIFT = {
    ("aws_lambda_function.monitor", "update"),
    ("aws_iam_role_policy.scheduler", "update"),
}


def _project(root: Path) -> Path:
    (root / "specs").mkdir(parents=True)
    spec_file = root / "specs" / SPEC.name
    shutil.copyfile(SPEC, spec_file)
    fake_lambda_wheels(root / "build" / "cache" / "lambda-wheels")
    return spec_file


def _user_file(terraform_dir: Path) -> Path:
    """A user's own file beside the rendered ones, which fraudspec must leave alone."""
    terraform_dir.mkdir(parents=True)
    own = terraform_dir / "team.tf.json"
    own.write_text(json.dumps({"locals": {"owner": "fraud-team"}}))
    return own


def test_apply_plan_destroy_against_the_emulator(tmp_path, aws_env, offline_terraform, cli, capsys) -> None:
    spec_file = _project(tmp_path / "project")
    spec = load_spec(spec_file, ENV)
    override = _user_file(spec.terraform_dir)
    override_text = override.read_text()
    boto3.client("s3", region_name=REGION).create_bucket(Bucket=BUCKET)

    assert cli(["build", "--spec", str(spec_file), "--env", ENV, "--no-progress"]) == 0  # trains, locks, renders
    capsys.readouterr()
    assert cli(["apply", "--spec", str(spec_file), "--env", ENV, "--auto-approve"]) == 0
    out = capsys.readouterr().out
    assert f"{emulator.LABEL} at {aws_env}" in out, "the emulator is labelled as such"
    sagemaker = boto3.client("sagemaker", region_name=REGION)
    serving = sagemaker.describe_endpoint(EndpointName=ENDPOINT)["EndpointConfigName"]
    assert f"endpoint {ENDPOINT} is InService on {serving}" in out, "verified against the rendered configuration"
    assert "smoke invocation skipped: the AWS emulator runs no model" in out
    assert not (spec.terraform_dir / "terraform.tfstate").exists(), "the emulator's state stays out of terraform/"
    assert (spec.workspace.root / "emulator" / "terraform.tfstate").is_file()
    assert f"endpoint_name = {ENDPOINT}" in out and "invoke_example = aws sagemaker-runtime" in out
    assert override.read_text() == override_text, "fraudspec must never touch the user's files"

    artifacts = artifacts_from_lock(spec, read_lock(lock_path(spec_file)))
    assert all(f"uploaded {artifact.uri}" in out for artifact in artifacts.all())
    s3 = boto3.client("s3", region_name=REGION)
    for artifact in artifacts.all():
        assert s3.head_object(Bucket=BUCKET, Key=artifact.key)["Metadata"]["sha256"] == artifact.sha256
    assert sagemaker.describe_endpoint(EndpointName=ENDPOINT)["EndpointStatus"] == "InService"
    config = sagemaker.describe_endpoint_config(
        EndpointConfigName=sagemaker.describe_endpoint(EndpointName=ENDPOINT)["EndpointConfigName"])
    assert config["ProductionVariants"][0]["ServerlessConfig"] == {"MemorySizeInMB": 2048, "MaxConcurrency": 5}
    function = boto3.client("lambda", region_name=REGION).get_function(FunctionName=f"{ENDPOINT}-monitor")
    assert function["Configuration"]["Environment"]["Variables"]["FRAUDSPEC_STATISTICS_URI"] == artifacts.statistics.uri
    schedule = boto3.client("scheduler", region_name=REGION).get_schedule(Name=f"{ENDPOINT}-monitor")
    assert schedule["ScheduleExpression"] == "cron(0 * ? * * *)"
    assert "<aws.scheduler.scheduled-time>" in schedule["Target"]["Input"]
    alarms = boto3.client("cloudwatch", region_name=REGION).describe_alarms(AlarmNamePrefix=ENDPOINT)["MetricAlarms"]
    assert {a["AlarmName"].removeprefix(ENDPOINT + "-") for a in alarms} >= {
        "drift-txn_count_1h", "drift-amount", "monitor-errors", "model-latency", "overhead-latency",
        "error-4xx-rate", "error-5xx-rate"}
    tags = {t["Key"]: t["Value"] for t in sagemaker.list_tags(ResourceArn=config["EndpointConfigArn"])["Tags"]}
    assert tags["Version"] == artifacts.model.short_digest and tags["Environment"] == ENV

    second = aws.plan(spec, echo=lambda line: None)
    drift = {(change.address, change.action) for change in second.changes}
    assert drift == MOTO_DRIFT, "only moto's known round-trip gaps may remain after apply"

    assert cli(["destroy", "--spec", str(spec_file), "--env", ENV, "--auto-approve"]) == 0
    assert sagemaker.list_endpoints()["Endpoints"] == []
    assert boto3.client("lambda", region_name=REGION).list_functions()["Functions"] == []
    assert boto3.client("cloudwatch", region_name=REGION).describe_alarms()["MetricAlarms"] == []
    assert override.read_text() == override_text
