"""Endpoints with challengers against the AWS emulator: `status` lists every production variant with its
share and a shadow variant as a shadow, each challenger's monitoring runs under its name, `apply` verifies
the variants it rendered, and a second plan leaves a shadow configuration alone.

moto drops a configuration's ShadowProductionVariants; fraudspec.deploy.emulator_moto keeps and
answers them, as AWS does, which these tests rely on.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import boto3
import pytest
from deploy_support import fake_lambda_wheels

from fraudspec.core.errors import FraudspecError
from fraudspec.deploy import aws
from fraudspec.deploy.verify import verify_deployed
from fraudspec.spec.load import load_spec

REGION, BUCKET = "us-east-1", "fraudspec-emulator"
ENDPOINT = "rc-project-a-fraud-detection-shadow"
SPEC = Path(__file__).parent / "specs" / "emulator-challengers.yaml"


def _project(root: Path) -> Path:
    (root / "specs").mkdir(parents=True)
    spec_file = root / "specs" / "fraud-detection.yaml"
    spec_file.write_text(SPEC.read_text())
    fake_lambda_wheels(root / "build" / "cache" / "lambda-wheels")
    return spec_file


def _variant(name: str, weight: float, count: int) -> dict:
    return {"VariantName": name, "ModelName": f"m-{name}", "InstanceType": "ml.m5.large",
            "InitialInstanceCount": count, "InitialVariantWeight": weight}


def _endpoint(sagemaker, endpoint: str, config: str, production: list[dict], shadow: list[dict]) -> None:
    for variant in production + shadow:
        sagemaker.create_model(ModelName=variant["ModelName"], ExecutionRoleArn="arn:aws:iam::123456789012:role/r",
                               PrimaryContainer={"Image": "img"})
    sagemaker.create_endpoint_config(EndpointConfigName=config, ProductionVariants=production,
                                     **({"ShadowProductionVariants": shadow} if shadow else {}))
    sagemaker.create_endpoint(EndpointName=endpoint, EndpointConfigName=config)


def test_status_lists_a_shadow_variant_and_its_own_monitoring_runs(tmp_path, aws_env, cli, capsys) -> None:
    spec_file = _project(tmp_path)
    spec = load_spec(spec_file, "shadow")
    sagemaker, s3 = boto3.client("sagemaker", region_name=REGION), boto3.client("s3", region_name=REGION)
    _endpoint(sagemaker, ENDPOINT, "config-1", [_variant("AllTraffic", 1.0, 2)], [_variant("gbm", 0.2, 1)])
    assert sagemaker.describe_endpoint_config(EndpointConfigName="config-1")["ShadowProductionVariants"][0][
        "VariantName"] == "gbm", "the emulator answers the shadow variants back"
    s3.create_bucket(Bucket=BUCKET)
    gbm = spec.for_variant("gbm").names
    for schedule, violations in ((spec.names.monitoring_schedule, 0), (gbm.monitoring_schedule, 2)):
        key = f"{spec.names.reports_prefix}/{spec.names.endpoint}/{schedule}/2026/12/01/10/execution_summary.json"
        s3.put_object(Bucket=BUCKET, Key=key, Body=json.dumps({
            "window": {"end": "2026-12-01T10:00:00Z"}, "status": "CompletedWithViolations" if violations else
            "Completed", "violations": violations}).encode())

    assert cli(["status", "--spec", str(spec_file), "--env", "shadow"]) == 0
    text = capsys.readouterr().out.splitlines()
    assert "variant   AllTraffic: weight 1, 2 x ml.m5.large (desired 2)" in text
    assert ("variant   gbm: shadow (weight 0.2, a copy of 20 % of AllTraffic's requests; answers nobody), "
            "1 x ml.m5.large (desired 1)") in text
    assert "monitor   data quality window ending 2026-12-01T10:00:00Z: Completed, 0 violation(s)" in text
    assert "monitor   data quality of gbm window ending 2026-12-01T10:00:00Z: CompletedWithViolations, " \
           "2 violation(s)" in text
    assert cli(["status", "--spec", str(spec_file), "--env", "shadow", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [(v["name"], v["shadow"], v["current_weight"]) for v in doc["variants"]] == [
        ("AllTraffic", False, 1.0), ("gbm", True, 0.2)]
    assert [(e["kind"], e["variant"]) for e in doc["executions"]] == [("data quality", None), ("data quality", "gbm")]

    cloudwatch = boto3.client("cloudwatch", region_name=REGION)
    verify_deployed(spec, sagemaker, cloudwatch, ENDPOINT, "config-1")
    ab = load_spec(spec_file, "ab")  # the same endpoint is not what ab declares
    with pytest.raises(FraudspecError, match="hosts ProductionVariants AllTraffic; ShadowProductionVariants gbm, "
                                             "where the spec declares ProductionVariants AllTraffic, deep, gbm"):
        verify_deployed(ab, sagemaker, cloudwatch, ENDPOINT, "config-1")


def test_status_gives_each_ab_variant_its_share(tmp_path, aws_env, cli, capsys) -> None:
    spec_file = _project(tmp_path)
    sagemaker = boto3.client("sagemaker", region_name=REGION)
    boto3.client("s3", region_name=REGION).create_bucket(Bucket=BUCKET)
    endpoint = "rc-project-a-fraud-detection-ab"
    _endpoint(sagemaker, endpoint, "config-ab", [_variant("AllTraffic", 0.7, 2), _variant("deep", 0.1, 2),
                                                 _variant("gbm", 0.2, 1)], [])
    assert cli(["status", "--spec", str(spec_file), "--env", "ab"]) == 0
    text = capsys.readouterr().out.splitlines()
    assert "variant   AllTraffic: weight 0.7 (70 % of requests), 2 x ml.m5.large (desired 2)" in text
    assert "variant   deep: weight 0.1 (10 % of requests), 2 x ml.m5.large (desired 2)" in text
    assert "variant   gbm: weight 0.2 (20 % of requests), 1 x ml.m5.large (desired 1)" in text
    verify_deployed(load_spec(spec_file, "ab"), sagemaker, boto3.client("cloudwatch", region_name=REGION),
                    endpoint, "config-ab")


@pytest.mark.slow  # real terraform init, plan, apply and destroy against the emulator
def test_apply_a_shadow_challenger_and_plan_again(tmp_path, aws_env, offline_terraform, cli, capsys) -> None:
    spec_file = _project(tmp_path)
    boto3.client("s3", region_name=REGION).create_bucket(Bucket=BUCKET)
    sagemaker = boto3.client("sagemaker", region_name=REGION)
    assert cli(["build", "--spec", str(spec_file), "--env", "shadow", "--no-progress"]) == 0
    assert cli(["apply", "--spec", str(spec_file), "--env", "shadow", "--auto-approve", "--no-progress"]) == 0
    out = capsys.readouterr().out
    spec = load_spec(spec_file, "shadow")
    gbm_model = spec.for_variant("gbm").workspace.model_tar
    # The champion's four, and the challenger's model: trained on the same data, its baseline is the champion's
    # byte for byte, so the same content-addressed objects.
    assert out.count("uploaded s3://") == 5, out
    champion, challenger = spec.workspace, spec.for_variant("gbm").workspace
    assert challenger.statistics.read_bytes() == champion.statistics.read_bytes()
    digest = hashlib.sha256(gbm_model.read_bytes()).hexdigest()
    assert f"models/sha256/{digest}/model.tar.gz" in out
    config = sagemaker.describe_endpoint_config(
        EndpointConfigName=sagemaker.describe_endpoint(EndpointName=ENDPOINT)["EndpointConfigName"])
    [shadow] = config["ShadowProductionVariants"]
    assert (shadow["VariantName"], shadow["InitialVariantWeight"]) == ("gbm", 20)
    model = sagemaker.describe_model(ModelName=shadow["ModelName"])
    assert model["PrimaryContainer"]["ModelDataUrl"].endswith(f"/models/sha256/{digest}/model.tar.gz")

    assert cli(["status", "--spec", str(spec_file), "--env", "shadow"]) == 0
    assert "variant   gbm: shadow (weight 20, a copy of 20 % of AllTraffic's requests" in capsys.readouterr().out
    # A second plan leaves the configuration alone: the emulator answers its shadow variant back.
    planned = aws.plan(spec, echo=lambda line: None)
    touched = {c.address for c in planned.changes}
    assert not any(address.startswith("aws_sagemaker_endpoint") for address in touched), touched

    assert cli(["destroy", "--spec", str(spec_file), "--env", "shadow", "--auto-approve"]) == 0
    assert sagemaker.list_endpoints()["Endpoints"] == []


@pytest.mark.slow  # real terraform init, plan, apply and destroy against the emulator
def test_apply_ab_challengers_and_plan_again(tmp_path, aws_env, offline_terraform, cli, capsys) -> None:
    spec_file = _project(tmp_path)
    boto3.client("s3", region_name=REGION).create_bucket(Bucket=BUCKET)
    sagemaker = boto3.client("sagemaker", region_name=REGION)
    endpoint = "rc-project-a-fraud-detection-ab"
    assert cli(["build", "--spec", str(spec_file), "--env", "ab", "--no-progress"]) == 0
    # apply verifies the endpoint hosts AllTraffic, deep and gbm as production variants, or fails
    assert cli(["apply", "--spec", str(spec_file), "--env", "ab", "--auto-approve", "--no-progress"]) == 0
    capsys.readouterr()
    config = sagemaker.describe_endpoint_config(
        EndpointConfigName=sagemaker.describe_endpoint(EndpointName=endpoint)["EndpointConfigName"])
    assert [(v["VariantName"], v["InitialInstanceCount"]) for v in config["ProductionVariants"]] == [
        ("AllTraffic", 2), ("deep", 2), ("gbm", 1)]
    assert "ShadowProductionVariants" not in config

    assert cli(["status", "--spec", str(spec_file), "--env", "ab"]) == 0
    text = capsys.readouterr().out
    for line in ("variant   AllTraffic: weight 70", "(70 % of requests), 2 x ml.m5.large",
                 "variant   deep: weight 10", "(10 % of requests), 2 x ml.m5.large",
                 "variant   gbm: weight 20", "(20 % of requests), 1 x ml.m5.large"):
        assert line in text, text

    planned = aws.plan(load_spec(spec_file, "ab"), echo=lambda line: None)
    assert cli(["destroy", "--spec", str(spec_file), "--env", "ab", "--auto-approve"]) == 0
    # The provider reads weights back as float32 (0.2 -> 0.20000000298023224): whole-percent weights
    # survive, so a second plan replaces nothing.
    assert not any(c.address.startswith("aws_sagemaker_endpoint") for c in planned.changes), planned.changes
