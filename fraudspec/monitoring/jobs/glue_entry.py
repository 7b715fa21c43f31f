"""AWS Glue entry point: one monitoring execution over the window that ends at the scheduled time,
its capture read by Spark's executors.

The Glue job (glue_version 5.0: Spark 3.5, Python 3.11, rendered by fraudspec.render.glue) runs a
two-line script that calls `main`. Its default arguments carry the Settings (`--FRAUDSPEC_<FIELD>`,
the Lambda's environment variables as arguments: `arguments`); EventBridge Scheduler starts each run
with `--scheduled_time` (the end of its window), and `--job model_quality` for model quality or
`--variant <json>` for a challenger's schedules (settings.VARIANT_FIELDS).

What runs is the Lambda's (fraudspec.monitoring.jobs.lambda_entry `run` and `run_quality`, hence
`run_job`): the same reports in S3, the same metrics in CloudWatch. Only the data-quality job's
reading differs: the window's objects are cut into one slice per Spark task and each executor reads
its slice into a partial state (fraudspec.monitoring.jobs.spark) that the driver merges. Model
quality joins predictions to labels in the driver, as the Lambda does.

Glue 5.0 provides numpy, pyarrow and boto3 ("Python modules already provided in AWS Glue"), so the
job's --extra-py-files zip (fraudspec.deploy.glue_package) holds fraudspec's pure-Python modules only.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

from fraudspec.monitoring.jobs import lambda_entry
from fraudspec.monitoring.jobs.lambda_entry import SCHEDULED_TIME, Outcome, window_for
from fraudspec.monitoring.jobs.run import DataQualityJob, Partitions
from fraudspec.monitoring.jobs.settings import MODEL_QUALITY, VARIANT, Settings
from fraudspec.monitoring.jobs.spark import S3Objects, read_partitions
from fraudspec.monitoring.records.hours import Window
from fraudspec.monitoring.records.sources import S3CaptureSource

log = logging.getLogger("fraudspec.monitor_glue")
log.setLevel(logging.INFO)

JOB = "job"  # `--job model_quality` selects the model-quality execution


def arguments(settings: Settings) -> dict[str, str]:
    """The Glue job's default arguments: the Settings as the Lambda's environment spells them."""
    return {f"--{name}": value for name, value in settings.to_environment().items()}


def run_arguments(*, quality: bool = False, variant: Mapping[str, str] | None = None) -> dict[str, str]:
    """What a schedule's StartJobRun adds (besides `--scheduled_time`): the job kind and a challenger's
    settings. Glue's arguments are strings, so the variant travels as JSON."""
    added = {f"--{JOB}": MODEL_QUALITY} if quality else {}
    if variant:
        added[f"--{VARIANT}"] = json.dumps(dict(variant), sort_keys=True)
    return added


def parse_arguments(argv: Sequence[str]) -> dict[str, str]:
    """`--name value` pairs of a Glue run's command line (Glue adds its own, e.g. --JOB_RUN_ID: kept,
    unused). `--name=value` is accepted too."""
    found: dict[str, str] = {}
    index = 0
    while index < len(argv):
        word = argv[index]
        if word.startswith("--") and "=" in word:
            name, _, value = word[2:].partition("=")
            found[name] = value
        elif word.startswith("--") and index + 1 < len(argv):
            found[word[2:]] = argv[index + 1]
            index += 1
        index += 1
    return found


def settings_from(args: Mapping[str, str]) -> Settings:
    settings = Settings.from_environment(args)
    variant = args.get(VARIANT)
    return settings.for_variant(json.loads(variant) if variant else {})


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    import boto3  # provided by AWS Glue
    from pyspark import SparkContext  # provided by AWS Glue

    args = parse_arguments(sys.argv[1:] if argv is None else argv)
    settings = settings_from(args)
    quality = args.get(JOB) == MODEL_QUALITY
    seconds = settings.quality_window_seconds if quality else settings.window_seconds
    window = window_for({SCHEDULED_TIME: args.get(SCHEDULED_TIME)}, seconds, datetime.now(timezone.utc))
    s3, cloudwatch = boto3.client("s3"), boto3.client("cloudwatch")
    if quality:
        outcome = lambda_entry.run_quality(settings, window, s3, cloudwatch)
    else:
        outcome = run(SparkContext.getOrCreate(), settings, window, s3, cloudwatch)
    log.info("monitoring execution %s", json.dumps(outcome.as_dict()))
    return outcome.as_dict()


def run(spark: Any, settings: Settings, window: Window, s3: Any, cloudwatch: Any,
        partitions: int | None = None) -> Outcome:
    """The Lambda's data-quality run, its capture read on Spark's executors into at most `partitions`
    partial states (default: the cluster's task slots, spark.defaultParallelism)."""
    slots = partitions or spark.defaultParallelism

    def on_executors(job: DataQualityJob, captures: S3CaptureSource, window: Window) -> Partitions:
        return read_partitions(spark, captures.objects(window), S3Objects(captures.bucket), job, slots)

    return lambda_entry.run(settings, window, s3, cloudwatch, on_executors)
