"""The Glue job's entry on PySpark in local mode, against a moto S3 and CloudWatch server: the same
reports and metrics as the Lambda's run over the same window, its arguments as Glue passes them,
and a challenger's run under its own capture, baseline and schedule name.

The moto server is a real HTTP endpoint (AWS_ENDPOINT_URL) because Spark's Python workers are other
processes: each makes its own boto3 client, as on Glue."""

from __future__ import annotations

import json
import math
import os
import shutil
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from fraudspec.monitoring.engine import constraints as constraints_file
from fraudspec.monitoring.engine import statistics as statistics_file
from fraudspec.monitoring.engine.baseline import compute_baseline
from fraudspec.monitoring.engine.table import numeric_table
from fraudspec.monitoring.jobs import glue_entry, lambda_entry
from fraudspec.monitoring.jobs.settings import Settings
from fraudspec.monitoring.quality.constraints import QualityConstraint
from fraudspec.monitoring.quality.execution import QualityJob
from fraudspec.monitoring.records.hours import Window
from fraudspec.monitoring.records.label_store import GroundTruthLabel, write_ground_truth
from fraudspec.spec.model import DriftSpec, MonitoringSpec, Schedule, frozen_map
from fraudspec.training.synthetic import generate, generate_drifted
from tests.monitoring.conftest import capture_line, csv_rows

pytest.importorskip("pyspark", reason="PySpark is the `spark` extra: pip install -e '.[spark]'")
pytestmark = [pytest.mark.slow, pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java 17")]

BUCKET, REGION = "acme-monitoring", "us-east-1"
ENDPOINT, CHAMPION, CHALLENGER = "rc-demo-fraud-prod", "AllTraffic", "gbm"
NAMESPACE = "aws/sagemaker/Endpoints/data-metrics"
FEATURES = ("txn_count_1h", "txn_amount_1h", "merchant_count_24h", "avg_amount_7d", "amount")
END = datetime(2026, 3, 1, 10, tzinfo=timezone.utc)
WINDOW = Window(END - timedelta(hours=1), END)
MONITORING = MonitoringSpec(Schedule("hourly", "cron(0 * ? * * *)", "cron(0 * ? * * *)"),
                            drift=DriftSpec(features=frozen_map({"amount": 0.05})))
OBJECTS = 5
AWS_VARIABLES = ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION")


@pytest.fixture(scope="module")
def aws() -> Iterator[tuple]:
    """A moto server on a free port; AWS_* point every boto3 client at it (the Spark workers' too)."""
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    with pytest.MonkeyPatch.context() as patch:
        for name, value in zip(AWS_VARIABLES, (f"http://{host}:{port}", "testing", "testing", REGION)):
            patch.setenv(name, value)
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket=BUCKET)
        yield s3, boto3.client("cloudwatch")
    server.stop()


@pytest.fixture(scope="module")
def spark(aws) -> Iterator:
    from pyspark import SparkConf, SparkContext

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYSPARK_PYTHON", sys.executable)  # the workers import fraudspec from this virtualenv
        conf = SparkConf().setMaster("local[2]").setAppName("fraudspec-glue-test").set("spark.ui.enabled", "false")
        # The workers' AWS_* (the JVM, hence its workers' environment, may predate this module: test_spark's).
        conf.setExecutorEnv(pairs=[(name, os.environ[name]) for name in AWS_VARIABLES])
        context = SparkContext.getOrCreate(conf)
        context.setLogLevel("ERROR")
        yield context
        context.stop()


def _settings(variant: str = CHAMPION, schedule: str = "rc-demo-fraud-prod-data-quality") -> Settings:
    return Settings(
        statistics_uri=f"s3://{BUCKET}/baselines/{variant}/statistics.json",
        constraints_uri=f"s3://{BUCKET}/baselines/{variant}/constraints.json",
        capture_uri=f"s3://{BUCKET}/capture", reports_uri=f"s3://{BUCKET}/reports",
        endpoint_name=ENDPOINT, variant_name=variant, schedule_name=schedule, metric_namespace=NAMESPACE,
        emit_metrics=True, window_seconds=3600, features=FEATURES,
    )


def _put(s3, variant: str, rows: int, seed: int, drift: str) -> None:
    """A baseline under baselines/{variant}/ and OBJECTS capture objects of the window's hour, plus one
    object of the next hour that no run may read."""
    X = generate(FEATURES, 2_000, seed=seed).X
    baseline, constraints = compute_baseline(numeric_table({n: X[:, j] for j, n in enumerate(FEATURES)}), (),
                                             MONITORING)
    s3.put_object(Bucket=BUCKET, Key=f"baselines/{variant}/statistics.json",
                  Body=json.dumps(statistics_file.to_json(baseline)).encode())
    s3.put_object(Bucket=BUCKET, Key=f"baselines/{variant}/constraints.json",
                  Body=json.dumps(constraints_file.to_json(constraints)).encode())
    lines = [capture_line(row) for row in csv_rows(generate_drifted(FEATURES, rows, seed=seed + 1, drift=drift).X)]
    lines.append("not json")
    step = -(-len(lines) // OBJECTS)
    for i in range(OBJECTS):
        key = f"capture/{ENDPOINT}/{variant}/{WINDOW.start:%Y/%m/%d/%H}/{i:02d}-00-000-part.jsonl"
        s3.put_object(Bucket=BUCKET, Key=key, Body="".join(line + "\n" for line in lines[i * step:(i + 1) * step]))
    later = f"capture/{ENDPOINT}/{variant}/{END:%Y/%m/%d/%H}/00-00-000-later.jsonl"
    s3.put_object(Bucket=BUCKET, Key=later, Body=capture_line("1,1,1,1,1") + "\n")


def _report(s3, uri: str) -> dict:
    return json.loads(s3.get_object(Bucket=BUCKET, Key=uri.split(f"s3://{BUCKET}/", 1)[1])["Body"].read())


def _same(a: object, b: object) -> bool:
    """Equal, floats to 1e-12 relative (sums of partitions add in another order)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[key], b[key]) for key in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-12)
    return a == b


def _metrics(cloudwatch, schedule: str) -> dict[str, float]:
    dimensions = [{"Name": "Endpoint", "Value": ENDPOINT}, {"Name": "MonitoringSchedule", "Value": schedule}]
    values = {}
    for metric in cloudwatch.list_metrics(Namespace=NAMESPACE, Dimensions=dimensions)["Metrics"]:
        points = cloudwatch.get_metric_statistics(
            Namespace=NAMESPACE, MetricName=metric["MetricName"], Dimensions=dimensions, StartTime=WINDOW.start,
            EndTime=END + timedelta(hours=1), Period=3600, Statistics=["Maximum"])["Datapoints"]
        values[metric["MetricName"]] = points[0]["Maximum"]
    return values


def test_the_glue_run_gives_the_lambdas_reports_and_metrics(aws, spark) -> None:
    s3, cloudwatch = aws
    _put(s3, CHAMPION, 1_500, seed=7, drift="amount=x3")
    by_lambda = lambda_entry.run(_settings(schedule="lambda"), WINDOW, s3, cloudwatch)
    by_glue = glue_entry.run(spark, _settings(schedule="glue"), WINDOW, s3, cloudwatch, partitions=3)

    assert by_glue.status == by_lambda.status == "CompletedWithViolations"
    assert by_glue.metric_requests == by_lambda.metric_requests > 0
    assert [r.replace("/glue/", "/") for r in by_glue.reports] == [
        r.replace("/lambda/", "/") for r in by_lambda.reports]
    for glue_report, lambda_report in zip(by_glue.reports, by_lambda.reports):
        # Under ~2,000 rows the sketches hold every value: partitioning changes only the order of additions.
        assert _same(_report(s3, glue_report), _report(s3, lambda_report)), glue_report
    statistics = _report(s3, by_glue.reports[0])
    assert statistics["dataset"]["item_count"] == 1_500  # the next hour's object is not in the window
    drift = _metrics(cloudwatch, "glue")
    assert _same(drift, _metrics(cloudwatch, "lambda"))
    assert drift["feature_baseline_drift_amount"] > 0.05


def test_main_reads_glues_arguments_and_runs_a_challengers_job(aws, spark) -> None:
    s3, cloudwatch = aws
    _put(s3, CHALLENGER, 300, seed=11, drift="amount=x1")
    champion = _settings()
    challenger = replace(_settings(CHALLENGER), schedule_name="rc-demo-fraud-prod-data-quality-gbm")
    # As Glue runs the script: its own arguments, the job's defaults, then the run's.
    argv = ["--JOB_ID", "j_1", "--JOB_RUN_ID", "jr_1", "--job-bookmark-option", "job-bookmark-disable"]
    for name, value in {**glue_entry.arguments(champion),
                        **glue_entry.run_arguments(variant=challenger.variant_fields()),
                        "--scheduled_time": "2026-03-01T10:00:00Z"}.items():
        argv += [name, value]

    outcome = glue_entry.main(argv)

    assert outcome["status"] == "Completed"
    assert outcome["window"] == {"start": "2026-03-01T09:00:00Z", "end": "2026-03-01T10:00:00Z"}
    folder = f"s3://{BUCKET}/reports/{ENDPOINT}/rc-demo-fraud-prod-data-quality-gbm/2026/03/01/10"
    assert sorted(outcome["reports"]) == sorted(f"{folder}/{name}" for name in
                                                ("statistics.json", "constraint_violations.json",
                                                 "execution_summary.json"))
    assert _report(s3, f"{folder}/statistics.json")["dataset"]["item_count"] == 300  # the challenger's capture
    assert set(_metrics(cloudwatch, challenger.schedule_name)) >= {"feature_baseline_drift_amount"}


def test_arguments_round_trip_and_ignore_glues_own() -> None:
    settings = _settings()
    argv = ["--JOB_RUN_ID", "jr_1"]
    for name, value in glue_entry.arguments(settings).items():
        argv += [name, value]
    assert glue_entry.settings_from(glue_entry.parse_arguments(argv)) == settings
    (name, value), = glue_entry.run_arguments(variant={"variant_name": "gbm"}).items()
    assert glue_entry.settings_from(glue_entry.parse_arguments([*argv, f"{name}={value}"])) == \
        replace(settings, variant_name="gbm")
    with pytest.raises(ValueError, match="unknown setting"):
        glue_entry.settings_from({**glue_entry.parse_arguments(argv), "variant": '{"window_seconds": "1"}'})
    assert glue_entry.run_arguments(quality=True) == {"--job": "model_quality"}


def test_main_runs_a_challengers_model_quality_like_the_lambda(aws, spark) -> None:
    """`--job model_quality`: predictions joined to the labels in the driver, as lambda_entry.run_quality."""
    s3, cloudwatch = aws
    variant, schedule = "shadow", "rc-demo-fraud-prod-model-quality-shadow"
    job = QualityJob((QualityConstraint("recall", 0.8, "LessThanThreshold"),), 0.5, min_labels=50)
    settings = replace(_settings(), quality_job=json.dumps(job.to_json()), ground_truth_uri=f"s3://{BUCKET}/labels",
                       quality_schedule_name="rc-demo-fraud-prod-model-quality",
                       model_metric_namespace="aws/sagemaker/Endpoints/model-metrics", quality_window_seconds=3600)
    probabilities = [0.9] * 20 + [0.1] * 80  # 40 frauds, half of them missed: recall 0.5
    lines = [json.dumps({
        "captureData": {"endpointOutput": {"observedContentType": "application/json", "mode": "OUTPUT",
                                           "data": json.dumps({"is_fraud": int(p >= 0.5), "fraud_probability": p}),
                                           "encoding": "JSON"}},
        "eventMetadata": {"eventId": f"e-{i}", "inferenceId": f"req-{i}", "inferenceTime": WINDOW.start.isoformat()},
        "eventVersion": "0"}) for i, p in enumerate(probabilities)]
    s3.put_object(Bucket=BUCKET, Key=f"capture/{ENDPOINT}/{variant}/{WINDOW.start:%Y/%m/%d/%H}/00-00-000-q.jsonl",
                  Body="".join(line + "\n" for line in lines).encode())
    write_ground_truth(f"s3://{BUCKET}/labels", [
        GroundTruthLabel(f"req-{i}", int(i < 40), WINDOW.start + timedelta(minutes=5)) for i in range(100)], s3)
    argv = []
    for name, value in {**glue_entry.arguments(settings), "--scheduled_time": "2026-03-01T10:00:00Z",
                        **glue_entry.run_arguments(quality=True, variant={"variant_name": variant,
                                                                          "quality_schedule_name": schedule})}.items():
        argv += [name, value]

    outcome = glue_entry.main(argv)

    assert outcome["status"] == "CompletedWithViolations" and outcome["metric_requests"] >= 1
    folder = f"reports/{ENDPOINT}/{schedule}/2026/03/01/10"
    statistics = json.loads(s3.get_object(Bucket=BUCKET, Key=f"{folder}/statistics.json")["Body"].read())
    assert statistics["binary_classification_metrics"]["recall"]["value"] == 0.5
    dimensions = [{"Name": "Endpoint", "Value": ENDPOINT}, {"Name": "MonitoringSchedule", "Value": schedule}]
    listed = cloudwatch.list_metrics(Namespace="aws/sagemaker/Endpoints/model-metrics", Dimensions=dimensions)
    assert {"recall", "auc"} <= {m["MetricName"] for m in listed["Metrics"]}
