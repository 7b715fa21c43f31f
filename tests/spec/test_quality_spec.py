"""monitoring.model_quality: parsed into ModelQualitySpec with the schema's defaults, per environment."""

from __future__ import annotations

import json

from fraudspec.spec.load import load_spec, validate_spec
from fraudspec.spec.model import QualityThreshold
from fraudspec.spec.schema import SCHEMA_FILE
from tests.spec.conftest import BASE

QUALITY = """\
  model_quality:
    ground_truth: s3://acme-labels/fraud
    probability_threshold: 0.35
    metrics: {recall: {min: 0.8}, false_positive_rate: {max: 0.05}, auc: {min: 0.9}}
    min_labels: 250
    schedule: daily at 4
    label_delay_hours: 48
"""


def with_quality(block: str, text: str = BASE) -> str:
    return text.replace("    features: {amount: 0.05}\n", "    features: {amount: 0.05}\n" + block, 1)


def test_absent_model_quality_is_off(write_spec) -> None:
    assert load_spec(write_spec(), "local").monitoring.model_quality is None


def test_every_field_is_parsed(write_spec) -> None:
    path = write_spec(with_quality(QUALITY))
    assert validate_spec(path) == []
    quality = load_spec(path, "dev").monitoring.model_quality
    assert quality.ground_truth == "s3://acme-labels/fraud" and quality.probability_threshold == 0.35
    assert dict(quality.metrics) == {"recall": QualityThreshold(0.8, "LessThanThreshold"),
                                     "false_positive_rate": QualityThreshold(0.05, "GreaterThanThreshold"),
                                     "auc": QualityThreshold(0.9, "LessThanThreshold")}
    assert (quality.min_labels, quality.label_delay_hours) == (250, 48)
    assert quality.schedule.expression == "cron(0 4 ? * * *)"


def test_defaults_match_the_schema_and_the_threshold_follows_the_model(write_spec) -> None:
    text = with_quality("  model_quality: {}\n").replace("  algorithm: random_forest", "  algorithm: random_forest\n"
                                                                                        "  decision_threshold: 0.42")
    quality = load_spec(write_spec(text), "dev").monitoring.model_quality
    schema = json.loads(SCHEMA_FILE.read_text())["$defs"]["monitoring"]["properties"]["model_quality"]["properties"]
    for key in ("problem_type", "min_labels", "schedule", "label_delay_hours"):
        parsed = getattr(quality, key)
        assert schema[key]["default"] == (parsed.source if key == "schedule" else parsed), key
    assert quality.probability_threshold == 0.42 and quality.ground_truth is None and dict(quality.metrics) == {}


def test_the_schedule_uses_the_monitoring_time_zone(write_spec) -> None:
    text = with_quality("  model_quality: {schedule: daily}\n").replace("  schedule: hourly",
                                                                       "  schedule: hourly\n  timezone: Asia/Singapore")
    assert load_spec(write_spec(text), "local").monitoring.model_quality.schedule.timezone == "Asia/Singapore"


def test_a_local_ground_truth_directory_is_resolved_from_the_spec_file(write_spec) -> None:
    path = write_spec(with_quality("  model_quality: {ground_truth: ../labels}\n"))
    assert load_spec(path, "local").monitoring.model_quality.ground_truth == str(
        (path.parent.parent / "labels").resolve()
    )


def test_an_environment_can_turn_it_off_or_change_it(write_spec) -> None:
    text = with_quality(QUALITY).replace(
        "    bucket: acme-sm-rc-project-a\n",
        "    bucket: acme-sm-rc-project-a\n    overrides:\n      monitoring:\n        model_quality: {min_labels: 10}\n"
        "  staging:\n    target: local\n    overrides: {monitoring: {model_quality: null}}\n",
    )
    path = write_spec(text)
    assert validate_spec(path) == []
    assert load_spec(path, "dev").monitoring.model_quality.min_labels == 10
    assert load_spec(path, "local").monitoring.model_quality.min_labels == 250
    assert load_spec(path, "staging").monitoring.model_quality is None


def test_resource_names_for_model_quality(write_spec) -> None:
    names = load_spec(write_spec(), "dev").names
    assert names.model_quality_schedule == "rc-project-a-fraud-detection-dev-model-quality"
    assert names.model_metric_namespace == "aws/sagemaker/Endpoints/model-metrics"
    assert names.ground_truth_prefix == "fraudspec/fraud-detection/dev/ground-truth"
