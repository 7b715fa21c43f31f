"""The data-quality job on PySpark in local mode (what AWS Glue runs) gives what the single-process
engine gives over the same capture objects: the same counts, violations and statistics, the sketches
within their rank error bound."""

from __future__ import annotations

import math
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

from fraudspec.monitoring.engine import statistics as statistics_file
from fraudspec.monitoring.engine.baseline import compute_baseline
from fraudspec.monitoring.engine.kll import rank_error_bound
from fraudspec.monitoring.engine.table import numeric_table
from fraudspec.monitoring.jobs.run import DataQualityJob, Destination, run_job
from fraudspec.monitoring.jobs.spark import read_partitions
from fraudspec.monitoring.records.sinks import LocalSink
from fraudspec.monitoring.records.sources import LocalCaptureSource, window_blocks
from fraudspec.spec.model import DriftSpec, MonitoringSpec, Schedule, frozen_map
from fraudspec.training.synthetic import generate, generate_drifted
from tests.monitoring.conftest import ENDPOINT, HOUR, VARIANT, WINDOW, capture_line, csv_rows, write_capture

pyspark = pytest.importorskip("pyspark", reason="PySpark is the `spark` extra: pip install -e '.[spark]'")
pytestmark = [pytest.mark.slow, pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java 17")]

FEATURES = ("txn_count_1h", "txn_amount_1h", "merchant_count_24h", "avg_amount_7d", "amount")
MONITORING = MonitoringSpec(Schedule("hourly", "cron(0 * ? * * *)", "cron(0 * ? * * *)"),
                            drift=DriftSpec(features=frozen_map({"amount": 0.05})))
ROWS, FILES = 60_000, 6


@pytest.fixture(scope="module")
def spark():
    from pyspark import SparkConf, SparkContext

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYSPARK_PYTHON", sys.executable)  # the workers import fraudspec from this virtualenv
        conf = SparkConf().setMaster("local[2]").setAppName("fraudspec-test").set("spark.ui.enabled", "false")
        context = SparkContext(conf=conf)
        context.setLogLevel("ERROR")
        yield context
        context.stop()


@pytest.fixture(scope="module")
def job() -> DataQualityJob:
    X = generate(FEATURES, 20_000, seed=7).X
    baseline, constraints = compute_baseline(numeric_table({n: X[:, j] for j, n in enumerate(FEATURES)}), (),
                                             MONITORING)
    return DataQualityJob(baseline, constraints, FEATURES)


@pytest.fixture(scope="module")
def capture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("capture")
    rows = csv_rows(generate_drifted(FEATURES, ROWS, seed=8, drift="amount=x2").X)
    lines = [capture_line(row) for row in rows] + ["not json"]
    for i, chunk in enumerate(np.array_split(np.array(lines, dtype=object), FILES)):
        write_capture(root, HOUR, list(chunk), name=f"{i:02d}-00-000-part.jsonl")
    return root


@pytest.mark.parametrize("partitions", [1, 4])
def test_spark_partitions_give_what_one_process_gives(spark, job, capture: Path, tmp_path: Path,
                                                      partitions: int) -> None:
    source = LocalCaptureSource(capture, ENDPOINT, VARIANT)
    one = run_job(job, window_blocks(source, WINDOW), WINDOW, Destination(LocalSink(tmp_path / "one"), ENDPOINT, "s"))
    read = read_partitions(spark, source.objects(WINDOW), source.blocks, job, partitions)
    split = run_job(job, read, WINDOW, Destination(LocalSink(tmp_path / "spark"), ENDPOINT, "s"))

    assert len(read.states) == partitions
    assert split.status == one.status == "CompletedWithViolations"
    assert split.result.counts == one.result.counts and split.result.counts.malformed == 1
    assert split.result.malformed_examples == one.result.malformed_examples
    assert [(v.feature_name, v.constraint_check_type) for v in split.result.violations] == [
        (v.feature_name, v.constraint_check_type) for v in one.result.violations]
    assert [m.name for m in split.metrics] == [m.name for m in one.metrics]
    assert [Path(r).relative_to(tmp_path / "spark") for r in split.reports] == [
        Path(r).relative_to(tmp_path / "one") for r in one.reports]
    bound = rank_error_bound(ROWS)
    for drift_split, drift_one in zip(split.result.drifts, one.result.drifts):
        assert abs(drift_split.distance - drift_one.distance) <= 2 * bound
    ours = statistics_file.to_json(split.result.statistics)["features"]
    theirs = statistics_file.to_json(one.result.statistics)["features"]
    for mine, reference in zip(ours, theirs):
        a, b = mine["numerical_statistics"], reference["numerical_statistics"]
        assert (a["common"], a["min"], a["max"]) == (b["common"], b["min"], b["max"])
        assert all(math.isclose(a[key], b[key], rel_tol=1e-12) for key in ("sum", "mean", "std_dev"))
        counts = [bucket["count"] for bucket in a["distribution"]["kll"]["buckets"]]
        reference_counts = [bucket["count"] for bucket in b["distribution"]["kll"]["buckets"]]
        assert sum(counts) == sum(reference_counts) == ROWS
        assert max(abs(x - y) for x, y in zip(counts, reference_counts)) <= 2 * bound * ROWS
