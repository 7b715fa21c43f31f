"""Dump the hashicorp/aws provider schema of the types fraudspec renders into a test fixture.

    python -m tools.schema_snapshot [--mirror DIR] [--output PATH]

`tests/render/test_schema.py` checks every rendered argument and block against the snapshot, so
that check runs even where no terraform binary or provider is installed. Re-run this after
changing the provider constraint or rendering a new resource type.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fraudspec.core import jsonfile
from fraudspec.core.files import write_atomic
from fraudspec.deploy.provider_mirror import PROVIDER, find_provider_mirror, mirror_cli_config
from fraudspec.deploy.terraform import Terraform, find_binary
from fraudspec.render import PROVIDER_SOURCE, PROVIDER_VERSION

OUTPUT = Path(__file__).resolve().parents[1] / "tests" / "render" / "fixtures" / "aws-provider-schema.json"
RESOURCES = (
    "aws_appautoscaling_policy", "aws_appautoscaling_target", "aws_cloudwatch_dashboard",
    "aws_cloudwatch_event_rule", "aws_cloudwatch_event_target", "aws_cloudwatch_log_group",
    "aws_cloudwatch_log_resource_policy", "aws_cloudwatch_metric_alarm", "aws_glue_job",
    "aws_glue_security_configuration", "aws_iam_role", "aws_iam_role_policy",
    "aws_kinesis_firehose_delivery_stream", "aws_kms_alias", "aws_kms_key", "aws_lambda_function",
    "aws_sagemaker_data_quality_job_definition",
    "aws_sagemaker_endpoint", "aws_sagemaker_endpoint_configuration", "aws_sagemaker_model",
    "aws_s3_object", "aws_sagemaker_monitoring_schedule", "aws_scheduler_schedule", "aws_sfn_state_machine",
    "aws_sns_topic", "aws_sns_topic_subscription",
)
DATA_SOURCES = ("aws_caller_identity", "aws_iam_policy_document")


def dump_provider_schema(mirror: Path | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        (workdir / "versions.tf.json").write_text(json.dumps({"terraform": {"required_providers": {
            "aws": {"source": PROVIDER_SOURCE, "version": PROVIDER_VERSION}}}}))
        environ = dict(os.environ)
        if mirror is not None:
            environ["TF_CLI_CONFIG_FILE"] = str(mirror_cli_config(mirror, workdir))
        terraform = Terraform(find_binary(), workdir, environ=environ)
        terraform.init()
        schema = terraform.run_json(["providers", "schema", "-json"])
        version = terraform.run_json(["version", "-json"])["provider_selections"][PROVIDER]
    return {"provider": PROVIDER, "version": version, **reduce(schema["provider_schemas"][PROVIDER])}


def reduce(provider: Mapping[str, Any]) -> dict[str, Any]:
    """Only the types we render, only what the check needs (no descriptions)."""
    return {
        "resource_schemas": {name: _block(provider["resource_schemas"][name]["block"]) for name in RESOURCES},
        "data_source_schemas": {name: _block(provider["data_source_schemas"][name]["block"])
                                for name in DATA_SOURCES},
    }


def _block(block: Mapping[str, Any]) -> dict[str, Any]:
    attributes = {
        name: {key: value for key, value in attribute.items() if key in ("type", "required", "optional", "computed",
                                                                          "deprecated")}
        for name, attribute in block.get("attributes", {}).items()
    }
    blocks = {
        name: {"nesting_mode": nested["nesting_mode"], "min_items": nested.get("min_items", 0),
               "max_items": nested.get("max_items", 0), "block": _block(nested["block"])}
        for name, nested in block.get("block_types", {}).items()
    }
    return {"attributes": attributes, "block_types": blocks}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", type=Path, help="a filesystem mirror of the provider (default: search)")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    snapshot = dump_provider_schema(args.mirror or find_provider_mirror())
    write_atomic(args.output, jsonfile.dumps(snapshot, sort_keys=True))
    print(f"wrote {args.output} ({snapshot['provider']} {snapshot['version']})")


if __name__ == "__main__":
    main()
