"""The data-quality job's reading on Apache Spark: AWS Glue 5.x (PySpark 3.5), or PySpark in local mode.

The window's capture objects are cut into contiguous slices, one per Spark partition, in object
order; each executor reads its slice into a partial state (`execution.read_partition`) and the driver
collects the states in partition order, so `run_job` merges them into what one pass over the same
objects gives (fraudspec.monitoring.engine.partial). Only the states travel: a partition's capture
never leaves its executor. PySpark itself is imported by the caller (the tests; the Glue job,
fraudspec.monitoring.jobs.glue_entry): this module only needs a SparkContext.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from fraudspec.monitoring.engine.execution import read_partition
from fraudspec.monitoring.engine.partial import PartitionState
from fraudspec.monitoring.jobs.run import DataQualityJob, Partitions
from fraudspec.monitoring.records.blocks import CaptureBlock
from fraudspec.monitoring.records.sources import S3CaptureSource

# An object's blocks, called on an executor: a picklable callable, e.g. a LocalCaptureSource's `blocks`.
ObjectReader = Callable[[str], Iterator[CaptureBlock]]


def read_partitions(spark: Any, names: Sequence[str], read: ObjectReader, job: DataQualityJob,
                    partitions: int) -> Partitions:
    """Every object of `names` read on Spark's executors into at most `partitions` partial states, in order.

    `spark` is a SparkContext; a window without objects still gives one (empty) state, as one pass over
    no blocks does, so the execution fails with Model Monitor's "no data" reason."""
    slices = max(1, min(partitions, len(names)))

    def per_partition(objects: Iterator[str]) -> Iterator[PartitionState]:
        blocks = (block for name in objects for block in read(name))
        yield read_partition(blocks, job.baseline, job.constraints, job.features)

    states = spark.parallelize(list(names), slices).mapPartitions(per_partition).collect()
    return Partitions(tuple(states))


_clients: dict[str, Any] = {}  # one S3 client per executor process: making one costs ~50 ms


@dataclass(frozen=True)
class S3Objects:
    """An ObjectReader of capture objects in `bucket`: picklable, unlike a boto3 client, so each executor
    makes its own client (with the job's role and the AWS_* environment, as the driver's)."""

    bucket: str

    def __call__(self, name: str) -> Iterator[CaptureBlock]:
        if "s3" not in _clients:
            import boto3  # AWS Glue provides boto3

            _clients["s3"] = boto3.client("s3")
        return S3CaptureSource(_clients["s3"], self.bucket, "", "", "").blocks(name)
