"""The data-quality job's reading on Apache Spark: AWS Glue 5.x (PySpark 3.5), or PySpark in local mode.

The window's capture objects are cut into contiguous slices, one per Spark partition, in object
order; each executor reads its slice into a partial state (`execution.read_partition`) and the driver
collects the states in partition order, so `run_job` merges them into what one pass over the same
objects gives (fraudspec.monitoring.engine.partial). Only the states travel: a partition's capture
never leaves its executor. PySpark itself is imported by the caller (the tests; a Glue job script,
not rendered yet): this module only needs a SparkContext.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from fraudspec.monitoring.engine.execution import read_partition
from fraudspec.monitoring.engine.partial import PartitionState
from fraudspec.monitoring.jobs.run import DataQualityJob, Partitions
from fraudspec.monitoring.records.blocks import CaptureBlock

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
