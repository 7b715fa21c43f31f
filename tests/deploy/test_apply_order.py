"""`apply --env dev` uploads nothing before the plan is confirmed, and a missing bucket is a user
error with a hint, found before Terraform runs (moto S3 in-process; Terraform replaced by a recorder,
since what is tested is the order of fraudspec's own steps)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import boto3
import pytest
from deploy_support import built_project, fake_lambda_wheels
from moto import mock_aws

from fraudspec.cli.main import main
from fraudspec.core.errors import FraudspecError
from fraudspec.deploy import aws, lambda_package
from fraudspec.deploy.plan_summary import PlanSummary, ResourceChange
from fraudspec.lock.record import record_built
from fraudspec.spec.model import Spec

EXAMPLE = Path(__file__).resolve().parents[2] / "specs" / "fraud-detection.yaml"


class RecordingTerraform:
    steps: ClassVar[list[str]] = []

    def __init__(self, *args, **kwargs) -> None:
        pass

    def init(self, *args) -> None:
        self.steps.append("init")

    def apply(self, plan_file) -> None:
        self.steps.append("apply")

    def outputs(self) -> dict:
        raise RuntimeError("stop after apply: this test is about the steps before it")


@pytest.fixture
def dev(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Spec:
    spec = built_project(tmp_path, EXAMPLE.read_text(), "dev")
    fake_lambda_wheels(tmp_path / "build" / "cache" / "lambda-wheels")
    lambda_package.build(spec)
    record_built(spec, ("monitor_lambda",), whole_entry=False)
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "FRAUD_WEBHOOK_URL": "https://hooks.example.com/x"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    RecordingTerraform.steps = []
    monkeypatch.setattr(aws, "Terraform", RecordingTerraform)
    monkeypatch.setattr(aws, "find_binary", lambda: "terraform")
    change = ResourceChange("aws_sagemaker_endpoint.this", "aws_sagemaker_endpoint", "create")
    monkeypatch.setattr(aws, "_plan", lambda *args, **kwargs: RecordingTerraform.steps.append("plan")
                        or PlanSummary((change,)))
    return spec


def _objects(s3, bucket: str) -> list[str]:
    return [item["Key"] for item in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]


def test_nothing_is_uploaded_when_the_plan_is_not_confirmed(dev: Spec) -> None:
    with mock_aws():
        s3 = boto3.client("s3", region_name=dev.environment.region)
        s3.create_bucket(Bucket=dev.environment.bucket,
                         CreateBucketConfiguration={"LocationConstraint": dev.environment.region})
        asked = []
        with pytest.raises(FraudspecError, match="cancelled; nothing was changed or uploaded"):
            aws.apply(dev, lambda question: asked.append(question) or False, echo=lambda text: None,
                      progress=False)
        assert asked and RecordingTerraform.steps == ["init", "plan"] and _objects(s3, dev.environment.bucket) == []

        with pytest.raises(RuntimeError, match="stop after apply"):
            aws.apply(dev, lambda question: True, echo=lambda text: None, progress=False)
        assert RecordingTerraform.steps[-1] == "apply" and len(_objects(s3, dev.environment.bucket)) == 4


def test_a_missing_bucket_is_a_user_error_before_terraform(dev: Spec, capsys) -> None:
    with mock_aws():
        assert main(["apply", "--spec", str(dev.path), "--env", "dev", "--auto-approve", "--no-progress"]) == 1
    err = capsys.readouterr().err
    assert f"bucket {dev.environment.bucket} does not exist" in err and "aws s3 mb" in err
    assert "internal error" not in err and RecordingTerraform.steps == []
