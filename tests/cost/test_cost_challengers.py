"""Challengers and the Glue runner in the estimate: each formula recomputed from the spec and the table."""

from __future__ import annotations

from pathlib import Path

import pytest

from fraudspec.cost.estimate import estimate
from fraudspec.cost.hints import hints
from fraudspec.cost.prices import prices_for
from fraudspec.spec.load import load_spec

BASE = """\
name: fraud
team: rc
project: cost
model:
  features: [{name: amount}, {name: country, type: categorical}]
  target: is_fraud
  data: {synthetic: {}}
endpoint:
  realtime: {instance_type: ml.m5.xlarge, instance_count: 2}
  challengers: CHALLENGERS
monitoring: MONITORING
expected_traffic: {requests_per_day: REQUESTS, average_latency_ms: 50, payload_bytes: 896}
environments:
  e:
    target: aws
    region: us-east-1
    bucket: cost-bucket
"""
SHADOW = "[{variant: gbm, mode: shadow, percent: 20, model: {algorithm: gradient_boosting}}]"
AB = ("[{variant: gbm, mode: ab, percent: 10, model: {algorithm: gradient_boosting}, instance_type: ml.c5.large,"
      " instance_count: 3}]")
HOURS = 730
M5_XLARGE = 0.115 * 2  # us-east-1: the family's large price times 2 units


def _spec(tmp_path: Path, challengers: str = "[]", monitoring: str = "{schedule: hourly}",
          requests: int = 2_400_000):
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "spec.yaml"
    path.write_text(BASE.replace("CHALLENGERS", challengers).replace("MONITORING", monitoring)
                    .replace("REQUESTS", str(requests)))
    return load_spec(path, "e")


def _line(found, item: str):
    return next(line for line in found.lines if line.item == item)


def _items(found, component: str) -> list[str]:
    return [line.item for line in found.lines if line.component == component]


def test_a_shadow_pays_for_its_instances_and_its_captured_copies(tmp_path: Path) -> None:
    alone = estimate(_spec(tmp_path / "alone"))
    found = estimate(_spec(tmp_path / "shadow", SHADOW))
    shadow = _line(found, "shadow challenger gbm ml.m5.xlarge")
    assert shadow.monthly == pytest.approx(1 * HOURS * M5_XLARGE)  # its instance_count, the champion's type
    assert shadow.inputs["share"] == 0.2
    assert _line(found, "realtime ml.m5.xlarge").monthly == _line(alone, "realtime ml.m5.xlarge").monthly
    # SageMaker captures the copies the shadow answers too: 20 % more records stored
    stored, stored_alone = (_line(f, "S3 storage of a month's capture") for f in (found, alone))
    assert stored.inputs["records"] == pytest.approx(stored_alone.inputs["records"] * 1.2)
    assert _line(found, "S3 PUT requests").inputs["shadow_copies_share"] == pytest.approx(0.2)
    assert found.endpoint == "realtime ml.m5.xlarge x 2 + shadow gbm 20 % ml.m5.xlarge x 1"


def test_an_ab_challenger_is_priced_on_its_own_instances_and_splits_no_capture(tmp_path: Path) -> None:
    alone = estimate(_spec(tmp_path / "alone"))
    found = estimate(_spec(tmp_path / "ab", AB))
    line = _line(found, "ab challenger gbm ml.c5.large")
    assert line.monthly == pytest.approx(3 * HOURS * prices_for("us-east-1").instance_hour("ml.c5.large"))
    # production variants share the requests: as many captured as without the challenger
    assert (_line(found, "S3 storage of a month's capture").inputs["records"]
            == pytest.approx(_line(alone, "S3 storage of a month's capture").inputs["records"]))
    assert found.endpoint == "realtime ml.m5.xlarge x 2 + ab gbm 10 % ml.c5.large x 3"


def test_every_variant_runs_its_own_monitoring_jobs_and_publishes_its_own_metrics(tmp_path: Path) -> None:
    alone = estimate(_spec(tmp_path / "alone"))
    found = estimate(_spec(tmp_path / "ab", AB))
    assert _items(found, "monitoring") == ["data quality: Lambda job", "data quality (ab gbm): Lambda job"]
    assert _line(found, "data quality (ab gbm): Lambda job").monthly == _line(found, "data quality: Lambda job").monthly
    metrics, metrics_alone = _line(found, "custom metrics"), _line(alone, "custom metrics")
    assert metrics.inputs["metrics"] == 2 * metrics_alone.inputs["metrics"] and metrics.inputs["variants"] == 2
    assert metrics.inputs["requests"] == pytest.approx(2 * metrics_alone.inputs["requests"])
    assert (_line(found, "S3 monitoring reports").inputs["runs"]
            == pytest.approx(2 * _line(alone, "S3 monitoring reports").inputs["runs"]))
    # alarms stay the champion's
    assert _line(found, "alarms").inputs == _line(alone, "alarms").inputs


def test_a_glue_run_bills_every_workers_dpus_for_at_least_a_minute(tmp_path: Path) -> None:
    found = estimate(_spec(tmp_path, AB, "{schedule: hourly, runner: glue, glue: {worker_type: G.2X, workers: 3}}"))
    champion = _line(found, "data quality: Glue job 3 x G.2X")
    challenger = _line(found, "data quality (ab gbm): Glue job 3 x G.2X")
    # 100,000 requests an hour: the champion reads 90 % of them, on (3 - 1) workers x 2 DPU x 4 vCPU
    assert champion.inputs["lines_a_run"] == pytest.approx(90_000)
    assert challenger.inputs["lines_a_run"] == pytest.approx(10_000)
    assert champion.inputs["executor_cores"] == 16
    # 30 s start + 90,000 / (16 x 800,000) s is under a minute: billed the minimum
    assert champion.inputs["minutes_a_run"] == 1.0
    assert champion.monthly == pytest.approx(HOURS * 3 * 2 * 1 / 60 * 0.44)
    assert "800,000 lines/s, the README's measured rate a core" in champion.formula


def test_a_long_glue_run_is_billed_by_the_second(tmp_path: Path) -> None:
    spec = _spec(tmp_path, monitoring="{schedule: daily, runner: glue}", requests=1_000_000_000)
    line = _line(estimate(spec), "data quality: Glue job 2 x G.1X")
    seconds = 30 + 1e9 / (1 * 1 * 4 * 800_000)  # one executor worker of G.1X: 4 cores
    assert line.inputs["minutes_a_run"] == pytest.approx(seconds / 60)
    assert line.monthly == pytest.approx(HOURS / 24 * 2 * 1 * seconds / 3600 * 0.44)


def test_a_challengers_share_decides_whether_its_windows_hold_enough_rows(tmp_path: Path) -> None:
    """2.4 M requests a day: 100,000 an hour, plenty for the champion; a 1 % A/B challenger gets 1,000,
    fewer than the 1,850 a drift threshold of 0.0316 needs (1.36 / sqrt(n))."""
    monitoring = "{schedule: hourly, drift: {threshold: 0.0316}}"
    # alone, the champion's windows are full enough to sample 5 % of requests (FS913)
    assert [f.rule for f in hints(_spec(tmp_path / "alone", monitoring=monitoring))] == ["FS913"]
    tight = "[{variant: gbm, mode: ab, percent: 1, model: {algorithm: gradient_boosting}}]"
    [finding] = hints(_spec(tmp_path / "ab", tight, monitoring))  # and no sampling that would starve gbm
    assert finding.rule == "FS911"
    assert "about 1,000 rows a run for variant gbm (1 % of requests), fewer than the 1,853" in finding.message
    assert finding.hint.startswith("schedule: every 2 hours gives 2,000 rows a run")


def test_a_glue_run_longer_than_its_timeout_is_billed_until_glue_stops_it(tmp_path: Path) -> None:
    spec = _spec(tmp_path, monitoring="{schedule: daily, runner: glue, glue: {timeout_minutes: 3}}",
                 requests=1_000_000_000)
    line = _line(estimate(spec), "data quality: Glue job 2 x G.1X")
    assert line.inputs["minutes_a_run"] == 3  # 5.1 minutes of reading, stopped at 3
    assert line.formula.endswith(", stopped at the 3 min timeout")
