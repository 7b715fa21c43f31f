"""Every rendered argument and block exists in the real provider schema (snapshot in fixtures/),
so this runs even where terraform is absent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from render_variants import VARIANTS, Variant, render_variant
from schema_check import load_snapshot, problems

from tools.schema_snapshot import DATA_SOURCES, RESOURCES

REPO = Path(__file__).resolve().parents[2]
COMMITTED = sorted(path for path in (REPO / "terraform").glob("*") if path.is_dir())


@pytest.fixture(scope="module")
def snapshot() -> dict:
    return load_snapshot()


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.name)
def test_rendered_variant_matches_provider_schema(variant: Variant, snapshot: dict, tmp_path: Path) -> None:
    document = json.loads(render_variant(variant, tmp_path)["fraudspec.tf.json"])
    assert problems(document, snapshot) == []


@pytest.mark.parametrize("directory", COMMITTED, ids=lambda p: p.name)
def test_committed_terraform_matches_provider_schema(directory: Path, snapshot: dict) -> None:
    document = json.loads((directory / "fraudspec.tf.json").read_text())
    assert problems(document, snapshot) == []


def test_snapshot_covers_exactly_the_rendered_types(snapshot: dict, tmp_path: Path) -> None:
    resources, data = set(), set()
    for variant in VARIANTS:
        document = json.loads(render_variant(variant, tmp_path / variant.name)["fraudspec.tf.json"])
        resources |= set(document["resource"])
        data |= set(document["data"])
    assert resources == set(RESOURCES) == set(snapshot["resource_schemas"])
    assert data == set(DATA_SOURCES) == set(snapshot["data_source_schemas"])


def test_checker_catches_schema_mistakes(snapshot: dict) -> None:
    document = {"resource": {
        "aws_sagemaker_endpoint": {"endpoint": {"nam": "x", "endpoint_config_name": "c"}},
        "aws_sns_topic": {"alerts": {"name": "t", "arn": "arn:aws:sns:::t"}},
        "aws_sagemaker_endpoint_configuration": {"endpoint": {
            "production_variants": {"model_name": "m"},
            "data_capture_config": [{"destination_s3_uri": "s3://b/p", "initial_sampling_percentage": "10",
                                     "capture_options": []}],
        }},
        "aws_iam_role": {"model": {"assume_role_policy": "{}", "managed_policy_arns": []}},
        "aws_lambda_function": {"monitor": {"role": "r"}},
    }}
    found = "\n".join(problems(document, snapshot))
    assert "aws_sagemaker_endpoint.endpoint.nam: unknown argument" in found
    assert "aws_sns_topic.alerts.arn: computed-only" in found
    assert "production_variants: a list block is written as a JSON array" in found
    assert "initial_sampling_percentage: expected number" in found
    assert "capture_options: 0 item(s), allowed 1..2" in found
    assert "aws_iam_role.model.managed_policy_arns: deprecated" in found
    assert "aws_lambda_function.monitor: missing required argument function_name" in found
