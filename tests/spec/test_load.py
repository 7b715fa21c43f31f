"""Loading: the example spec, defaults, unknown environments, and reporting everything at once."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from fraudspec.core.errors import FraudspecError
from fraudspec.spec.load import load_spec, validate_spec
from fraudspec.spec.parse import parse_spec
from fraudspec.spec.schema import SCHEMA_FILE
from tests.spec.conftest import BASE

EXAMPLE = Path(__file__).parents[2] / "specs" / "fraud-detection.yaml"


def test_example_spec_is_valid_for_every_environment() -> None:
    assert validate_spec(EXAMPLE) == []
    for env in ("local", "dev", "staging"):
        spec = load_spec(EXAMPLE, env)
        assert spec.environment.name == env
        assert spec.model.feature_names == (
            "txn_count_1h",
            "txn_amount_1h",
            "merchant_count_24h",
            "avg_amount_7d",
            "amount",
        )


def test_example_spec_points_editors_at_the_schema() -> None:
    first = EXAMPLE.read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=../fraudspec/spec/schema.json"
    assert (EXAMPLE.parent / "../fraudspec/spec/schema.json").resolve() == SCHEMA_FILE


def test_spec_is_immutable(write_spec) -> None:
    spec = load_spec(write_spec(), "local")
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.name = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        spec.model.hyperparameters["n_estimators"] = 5  # type: ignore[index]


def test_unknown_environment_names_the_valid_ones(write_spec) -> None:
    with pytest.raises(FraudspecError) as raised:
        load_spec(write_spec(), "dve")
    finding = raised.value.findings[0]
    assert finding.rule == "FS007" and "did you mean 'dev'" in finding.hint and "local, dev" in finding.hint


def test_all_errors_reported_at_once_sorted_by_location(write_spec) -> None:
    text = (
        BASE.replace("memory_mb: 2048", "memory_mb: 1")
        .replace("threshold: 0.1", "threshold: 2")
        .replace("email: oncall@example.com", "email: nope")
    )
    findings = validate_spec(write_spec(text))
    assert [f.rule for f in findings] == ["FS101", "FS203", "FS501"]
    assert [f.location.line for f in findings] == sorted(f.location.line for f in findings)


def test_missing_file_is_a_located_error(tmp_path: Path) -> None:
    findings = validate_spec(tmp_path / "nope.yaml")
    assert findings[0].rule == "FS001" and "does not exist" in findings[0].message


def test_empty_and_non_mapping_documents(write_spec) -> None:
    for text in ("", "- a\n- b\n", "just a string\n"):
        findings = validate_spec(write_spec(text))
        assert findings and findings[0].rule == "FS004"


def test_defaults_match_the_schema(write_spec) -> None:
    """The schema documents defaults; the parser applies them: they must agree."""
    schema = json.loads(SCHEMA_FILE.read_text())
    spec = load_spec(write_spec(), "local")
    defs = schema["$defs"]
    assert spec.capture.sampling_percent == 100
    checks = {
        ("capture", "enabled"): spec.capture.enabled,
        ("monitoring", "engine"): spec.monitoring.engine,
        ("monitoring", "data_type_threshold"): spec.monitoring.data_type_threshold,
        ("monitoring", "domain_threshold"): spec.monitoring.domain_threshold,
        ("monitoring", "timezone"): spec.monitoring.schedule.timezone,
        ("monitoring", "log_retention_days"): spec.monitoring.log_retention_days,
        ("monitoring", "job_instance_type"): spec.monitoring.job_instance_type,
        ("monitoring", "job_volume_gb"): spec.monitoring.job_volume_gb,
        ("alarms", "model_latency_ms"): spec.alarms.model_latency_ms,
        ("alarms", "overhead_latency_ms"): spec.alarms.overhead_latency_ms,
        ("alarms", "error_4xx_percent"): spec.alarms.error_4xx_percent,
        ("alarms", "error_5xx_percent"): spec.alarms.error_5xx_percent,
        ("alarms", "evaluation_periods"): spec.alarms.evaluation_periods,
        ("model", "validation_fraction"): spec.model.validation_fraction,
        ("model", "decision_threshold"): spec.model.decision_threshold,
        ("endpoint", "variant"): spec.endpoint.variant,
        ("environment", "port"): spec.environment.port,
    }
    for (section, key), value in checks.items():
        assert defs[section]["properties"][key]["default"] == value, f"{section}.{key}"


def test_csv_data_path_is_resolved_relative_to_the_spec(write_spec) -> None:
    path = write_spec(BASE.replace("synthetic: {rows: 1000, seed: 7}", "csv: ../data/train.csv"))
    (path.parent.parent / "data").mkdir()
    (path.parent.parent / "data" / "train.csv").write_text("txn_count_1h,amount,is_fraud\n1,2,0\n")
    spec = load_spec(path, "local")
    assert spec.model.data.path == (path.parent.parent / "data" / "train.csv").resolve()
    assert spec.root == path.parent.parent and spec.workspace.root == spec.root / "build" / "spec" / "local"


def test_parse_fills_s3_state_defaults(write_spec) -> None:
    text = BASE.replace(
        "bucket: acme-sm-rc-project-a", "bucket: acme-sm-rc-project-a\n    state: {backend: s3, bucket: tf-state}"
    )
    spec = load_spec(write_spec(text), "dev")
    assert spec.environment.state.key == "fraudspec/fraud-detection/dev/terraform.tfstate"
    assert spec.environment.state.region == "ap-southeast-1"
    assert parse_spec  # the parser is the only place defaults are applied


def test_drift_alarm_threshold_precedence(write_spec) -> None:
    text = BASE.replace(
        "    - {name: amount, type: numeric}",
        "    - {name: amount, type: numeric}\n    - {name: channel, type: categorical}",
    )
    text = text.replace("    threshold: 0.1\n", "    threshold: 0.1\n    categorical_threshold: 0.3\n")
    spec = load_spec(write_spec(text), "local")
    assert [spec.drift_alarm_threshold(f) for f in ("amount", "channel", "txn_count_1h")] == [0.05, 0.3, 0.1]
    overridden = load_spec(write_spec(text.replace("  notify:", "  drift: {threshold: 0.2}\n  notify:")), "local")
    assert overridden.drift_alarm_threshold("amount") == 0.2, "the alarm's own threshold wins"
