"""The estimate's lines: each formula recomputed here from the spec and the price table."""

from __future__ import annotations

from pathlib import Path

import pytest

from fraudspec.core.errors import FraudspecError
from fraudspec.cost.estimate import GIB, RESPONSE_BYTES, estimate
from fraudspec.cost.prices import prices_for
from fraudspec.cost.report import change_line, money
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
  serverless: {memory_mb: 3072, max_concurrency: 5}
expected_traffic: {requests_per_day: 48000, average_latency_ms: 250, payload_bytes: 896}
environments:
  e:
    target: aws
    region: REGION
    bucket: cost-bucket
"""


def _spec(tmp_path: Path, extra: str = "", region: str = "eu-west-1"):
    path = tmp_path / "spec.yaml"
    path.write_text(BASE.replace("REGION", region) + extra)
    return load_spec(path, "e")


def _line(found, item: str):
    return next(line for line in found.lines if line.item == item)


def test_serverless_duration_is_requests_times_seconds_times_memory(tmp_path: Path) -> None:
    found = estimate(_spec(tmp_path))
    prices = prices_for("eu-west-1")
    requests = 48000 * 730 / 24
    line = _line(found, "serverless inference duration")
    assert line.monthly == pytest.approx(requests * 0.25 * 3 * 0.00002 * 1.1)
    assert line.inputs["requests"] == pytest.approx(requests) and line.inputs["memory_gb"] == 3
    data = _line(found, "data processed in and out")
    assert data.monthly == pytest.approx(requests * (896 + RESPONSE_BYTES) / GIB * prices.price("sagemaker",
                                                                                                 "serverless_data_gb"))
    assert found.endpoint == "serverless 3072 MB"


def test_provisioned_concurrency_bills_every_second_of_the_month(tmp_path: Path) -> None:
    extra = "    overrides: {endpoint: {serverless: {provisioned_concurrency: 2}}}\n"
    line = _line(estimate(_spec(tmp_path, extra)), "provisioned concurrency")
    assert line.monthly == pytest.approx(2 * 3 * 730 * 3600 * 0.0000048 * 1.1)


def test_realtime_bills_instance_hours_of_the_autoscaling_minimum(tmp_path: Path) -> None:
    extra = ("    overrides: {endpoint: {serverless: null, realtime: {instance_type: ml.m5.xlarge, instance_count: 4,"
             " autoscaling: {min: 2, max: 6}}}}\n")
    found = estimate(_spec(tmp_path, extra, region="us-east-1"))
    line = _line(found, "realtime ml.m5.xlarge")
    assert line.monthly == pytest.approx(2 * 730 * 0.115 * 2)  # m5.large's price times 2 units, us-east-1
    assert found.endpoint == "realtime ml.m5.xlarge x 2"


def test_capture_follows_sampling_and_disappears_when_off(tmp_path: Path) -> None:
    sampled = estimate(_spec(tmp_path, "capture: {sampling_percent: 10}\n"))
    puts = _line(sampled, "S3 PUT requests")
    assert puts.inputs["puts"] == pytest.approx(48000 * 730 / 24 * 0.10)
    off = estimate(_spec(tmp_path, "capture: {enabled: false}\nmonitoring: {enabled: false}\n"))
    assert not [line for line in off.lines if line.component in ("capture", "monitoring", "reports")]


def test_model_monitor_bills_its_instance_per_run(tmp_path: Path) -> None:
    extra = ("    overrides: {endpoint: {serverless: null, realtime: {}}, monitoring: {engine: sagemaker, "
             "schedule: daily, job_instance_type: ml.m5.large}}\n")
    line = _line(estimate(_spec(tmp_path, extra)), "data quality: Model Monitor ml.m5.large")
    assert line.inputs["runs"] == pytest.approx(730 / 24)
    assert line.monthly == pytest.approx(730 / 24 * 10 / 60 * 0.115 * 1.1)


def test_alarms_count_each_metric_an_alarm_reads(tmp_path: Path) -> None:
    found = estimate(_spec(tmp_path, "monitoring: {emit_metrics: false}\n"))
    # latency x2 and capture failures (one metric each), 4xx and 5xx rates (two metrics each); no drift
    # alarms without metrics
    assert _line(found, "alarms").inputs["alarm_metrics"] == 7


def test_idle_cleanup_adds_its_alarm_and_job(tmp_path: Path) -> None:
    found = estimate(_spec(tmp_path, "    idle_after_days: 3\n"))
    with_idle = _line(found, "alarms").inputs["alarm_metrics"]
    without = _line(estimate(_spec(tmp_path)), "alarms").inputs["alarm_metrics"]
    assert with_idle == without + 1
    assert _line(found, "Step Functions job (after 3 idle days)").monthly < 0.05


@pytest.mark.parametrize(("instance", "hourly"), [("ml.m5.4xlarge", 0.115 * 8), ("ml.t2.medium", 0.056),
                                                  ("ml.c6i.large", 0.102)])
def test_instance_prices_come_from_the_table_or_the_family(instance: str, hourly: float) -> None:
    assert prices_for("us-east-1").instance_hour(instance) == pytest.approx(hourly)


def test_what_the_table_cannot_price_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(FraudspecError, match=r"no price for ml\.p5\.48xlarge"):
        prices_for("us-east-1").instance_hour("ml.p5.48xlarge")
    with pytest.raises(FraudspecError, match=r"no prices for region cn-north-1"):
        prices_for("cn-north-1")


def test_money_and_the_review_line() -> None:
    assert (money(18.2), money(1043.4), money(212.0)) == ("$18.20", "$1,043", "$212")
    assert change_line("staging", None, None, "->") == "staging: $0 -> $0 a month: environment removed"


def test_the_lambda_memory_priced_is_the_one_rendered() -> None:
    from fraudspec.cost import jobs as module
    from fraudspec.render.monitoring import LAMBDA_MEMORY_MB

    assert module.LAMBDA_MEMORY_MB == LAMBDA_MEMORY_MB


def test_firehose_capture_bills_ingestion_and_buffered_objects(tmp_path: Path) -> None:
    """Records are billed rounded up to 5 KB; S3 gets one object a buffer interval, not one a record."""
    found = estimate(_spec(tmp_path, "capture: {firehose: {buffer_mb: 64, buffer_seconds: 300}}\n"))
    prices = prices_for("eu-west-1")
    records = 48000 * 730 / 24
    ingestion = _line(found, "Firehose ingestion")
    assert ingestion.monthly == pytest.approx(records * 5120 / GIB * prices.price("firehose", "ingestion_gb"))
    puts = _line(found, "S3 PUT requests")
    assert puts.inputs["puts"] == pytest.approx(730 * 3600 / 300) and puts.inputs["puts"] < records
    direct = _line(estimate(_spec(tmp_path)), "S3 PUT requests")
    assert direct.inputs["puts"] == pytest.approx(records)
