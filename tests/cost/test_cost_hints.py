"""Cost-aware warnings: shown with their saving, never failing validation; and FS901, an error."""

from __future__ import annotations

import json
from pathlib import Path

from fraudspec.cli.main import main
from fraudspec.cost.hints import hints, rows_needed
from fraudspec.spec.load import load_spec, validate_spec
from fraudspec.spec.rules.registry import RULES

SPEC = """\
name: fraud
team: rc
project: hints
model:
  features: [{name: amount}]
  target: is_fraud
  data: {synthetic: {}}
endpoint:
  serverless: {}
monitoring: {schedule: SCHEDULE, drift: {threshold: 0.1}}
expected_traffic: {requests_per_day: TRAFFIC}
environments:
  e: {target: aws, region: us-east-1, bucket: hints-bucket}
"""


def _write(tmp_path: Path, schedule: str = "hourly", traffic: int = 1000, extra: str = "") -> Path:
    path = tmp_path / "spec.yaml"
    path.write_text(SPEC.replace("SCHEDULE", schedule).replace("TRAFFIC", str(traffic)) + extra)
    return path


def test_hourly_monitoring_of_too_few_rows_suggests_a_longer_window(tmp_path: Path) -> None:
    spec = load_spec(_write(tmp_path), "e")
    assert rows_needed(spec) == 185  # (1.36 / 0.1) ** 2, rounded up
    [found] = hints(spec)
    assert (found.rule, found.severity) == ("FS911", "warning")
    assert "about 42 rows a run, fewer than the 185" in found.message
    assert found.hint.startswith("schedule: every 6 hours gives 250 rows a run and saves $")


def test_enough_rows_give_no_schedule_warning(tmp_path: Path) -> None:
    assert [f.rule for f in hints(load_spec(_write(tmp_path, traffic=24 * 185), "e"))] == []


def test_full_sampling_at_high_traffic_names_the_sample_that_still_suffices(tmp_path: Path) -> None:
    [found] = hints(load_spec(_write(tmp_path, traffic=5_000_000), "e"))
    assert found.rule == "FS913"
    assert "while 1 % still gives each window the 185 rows" in found.message
    assert found.hint.startswith("sampling_percent: 1 saves $")


def test_warnings_are_shown_located_but_validation_passes(tmp_path: Path, capsys) -> None:
    path = _write(tmp_path)
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"{path}:10:14: FS911 warning: e: monitoring.schedule 'hourly'" in out
    assert "valid, 1 warning(s) (all environments)" in out
    assert main(["validate", str(path), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["valid"] is True and [f["severity"] for f in document["findings"]] == ["warning"]


def test_warning_rules_are_registered_with_their_severity() -> None:
    assert {rule_id: RULES[rule_id].severity for rule_id in ("FS901", "FS911", "FS912", "FS913")} == {
        "FS901": "error", "FS911": "warning", "FS912": "warning", "FS913": "warning"}


def test_idle_cleanup_is_refused_on_production(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(SPEC.replace("SCHEDULE", "daily").replace("TRAFFIC", "1000").replace(
        "bucket: hints-bucket}", "bucket: hints-bucket, production: true, idle_after_days: 7}"))
    [finding] = validate_spec(path, "e")
    assert finding.rule == "FS901" and finding.severity == "error"
    assert "production: its endpoint must never be deleted for being idle" in finding.message


def test_idle_after_days_is_bounded_by_cloudwatch(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(SPEC.replace("SCHEDULE", "daily").replace("TRAFFIC", "1000").replace(
        "bucket: hints-bucket}", "bucket: hints-bucket, idle_after_days: 8}"))
    [finding] = validate_spec(path, "e")
    assert "7 daily periods" in finding.hint
