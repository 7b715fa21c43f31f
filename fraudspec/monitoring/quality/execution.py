"""One model-quality execution: captured predictions of a window, joined to the labels known at run time.

Labels arrive late, so a run at time T evaluates the predictions captured in its schedule window
shifted back by the label delay, [start - delay, end - delay), with every label that arrived (by
hour folder) from the start of that window up to T. Labels in later hours are not read: they arrive
after the run. `run_quality` is pure (blocks in, a QualityResult out) so the local runtime, the CLI
and the Lambda share it.

Status: Failed ("Job inputs had no data") without a single readable captured prediction;
InsufficientData with fewer labelled predictions than min_labels (the metrics are still computed
when there is at least one, but nothing is checked and no metric is emitted); otherwise Completed
or CompletedWithViolations.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from typing import Any, Literal

from fraudspec.core import jsonfile
from fraudspec.monitoring.quality import constraints as constraints_file
from fraudspec.monitoring.quality import statistics as statistics_file
from fraudspec.monitoring.quality.binary import BinaryMetrics, binary_metrics
from fraudspec.monitoring.quality.bootstrap import standard_deviations
from fraudspec.monitoring.quality.constraints import QualityConstraint, QualityViolation
from fraudspec.monitoring.quality.join import JoinCounts, join
from fraudspec.monitoring.quality.rows import quality_rows
from fraudspec.monitoring.records.blocks import CaptureBlock
from fraudspec.monitoring.records.groundtruth import read_labels
from fraudspec.monitoring.records.hours import Window, iso, report_folder
from fraudspec.monitoring.records.predictions import read_predictions
from fraudspec.monitoring.records.sinks import ReportSink, write_execution
from fraudspec.spec.model import ModelQualitySpec

QualityStatus = Literal["Completed", "CompletedWithViolations", "InsufficientData", "Failed"]
NO_DATA = "Job inputs had no data"
STATISTICS_FILE = "statistics.json"
VIOLATIONS_FILE = "constraint_violations.json"
SUMMARY_FILE = "execution_summary.json"


@dataclass(frozen=True)
class QualityJob:
    """What an execution checks, independent of where its data lives."""

    constraints: tuple[QualityConstraint, ...]
    probability_threshold: float
    min_labels: int = 100
    label_delay: timedelta = timedelta(0)

    @classmethod
    def from_spec(cls, quality: ModelQualitySpec) -> QualityJob:
        return cls(constraints_file.from_spec(quality), quality.probability_threshold, quality.min_labels,
                   timedelta(hours=quality.label_delay_hours))

    def to_json(self) -> dict[str, Any]:
        """The job as the monitoring Lambda receives it (its constraints in Model Monitor's format)."""
        return {"constraints": constraints_file.to_json(self.constraints), "min_labels": self.min_labels,
                "probability_threshold": self.probability_threshold,
                "label_delay_hours": self.label_delay.total_seconds() / 3600}

    @classmethod
    def from_json(cls, document: Any) -> QualityJob:
        return cls(constraints_file.from_json(document["constraints"]), float(document["probability_threshold"]),
                   int(document["min_labels"]), timedelta(hours=float(document["label_delay_hours"])))


@dataclass(frozen=True)
class QualityWindows:
    capture: Window  # the predictions evaluated: captured in these hours
    labels: Window  # the labels used: arrived in these hours; its end is the run's time

    @classmethod
    def scheduled(cls, run: Window, label_delay: timedelta) -> QualityWindows:
        """A scheduled run's windows: its schedule window shifted back by the delay, labels until the run."""
        capture = Window(run.start - label_delay, run.end - label_delay)
        return cls(capture, Window(capture.start, run.end))


@dataclass(frozen=True, eq=False)
class QualityResult:
    status: QualityStatus
    windows: QualityWindows
    job: QualityJob
    counts: JoinCounts
    metrics: BinaryMetrics | None = None  # None without a single labelled prediction
    deviations: Mapping[str, float] = field(default_factory=dict)
    violations: tuple[QualityViolation, ...] = ()
    reason: str | None = None  # why Failed or InsufficientData
    malformed_examples: tuple[str, ...] = ()

    @property
    def evaluated(self) -> bool:
        """Constraints were checked: the metrics count (violations, CloudWatch, alarms)."""
        return self.status in ("Completed", "CompletedWithViolations")


def run_quality(capture_blocks: Iterable[CaptureBlock], label_blocks: Iterable[CaptureBlock],
                job: QualityJob, windows: QualityWindows) -> QualityResult:
    """Join the capture blocks (files of windows.capture) to the label blocks (files of windows.labels)."""
    predictions, labels = read_predictions(capture_blocks), read_labels(label_blocks)
    joined = join(predictions, labels)
    counts = joined.counts
    examples = predictions.malformed_examples + labels.malformed_examples
    if not counts.capture_records:
        what = (f"all {counts.malformed_captures} capture line(s) are unreadable" if counts.malformed_captures
                else "no captured predictions")
        return QualityResult("Failed", windows, job, counts, reason=f"{NO_DATA}: {what} in {windows.capture.label()}",
                             malformed_examples=examples)
    if not counts.labelled:
        return QualityResult("InsufficientData", windows, job, counts, reason=_too_few(counts, job, windows),
                             malformed_examples=examples)
    threshold = job.probability_threshold
    metrics = binary_metrics(joined.labels, joined.probabilities, threshold)
    deviations = standard_deviations(joined.labels, joined.probabilities, threshold)
    if counts.labelled < job.min_labels:
        return QualityResult("InsufficientData", windows, job, counts, metrics, deviations,
                             reason=_too_few(counts, job, windows), malformed_examples=examples)
    violations = constraints_file.evaluate(job.constraints, metrics.values)
    return QualityResult("CompletedWithViolations" if violations else "Completed", windows, job, counts, metrics,
                         deviations, violations, malformed_examples=examples)


def _too_few(counts: JoinCounts, job: QualityJob, windows: QualityWindows) -> str:
    return (f"{counts.labelled} of {counts.predictions} prediction(s) captured in {windows.capture.label()} have a "
            f"label, fewer than min_labels {job.min_labels}")


def summary_json(result: QualityResult) -> dict[str, Any]:
    return {
        "status": result.status,
        "reason": result.reason,
        "capture_window": _window(result.windows.capture),
        "label_window": _window(result.windows.labels),
        "probability_threshold": result.job.probability_threshold,
        "min_labels": result.job.min_labels,
        "records": asdict(result.counts),
        "malformed_examples": list(result.malformed_examples),
        "violations": len(result.violations),
        "metrics": [row.as_json() for row in quality_rows(result)],
    }


def _window(window: Window) -> dict[str, str]:
    return {"start": iso(window.start), "end": iso(window.end)}


def write_quality_reports(result: QualityResult, sink: ReportSink, endpoint: str, schedule: str) -> tuple[str, ...]:
    """Under {endpoint}/{schedule}/yyyy/mm/dd/hh/ (the run's hour): statistics.json when any prediction was
    labelled, constraint_violations.json when the constraints were checked, and execution_summary.json."""
    files = []
    if result.metrics is not None:
        document = statistics_file.to_json(result.metrics, result.deviations, result.counts.labelled,
                                           result.windows.labels.end)
        files.append((STATISTICS_FILE, jsonfile.dumps(document)))
    if result.evaluated:
        files.append((VIOLATIONS_FILE, jsonfile.dumps(constraints_file.violations_json(result.violations))))
    files.append((SUMMARY_FILE, jsonfile.dumps(summary_json(result))))
    # Its own folder always; the hour's folder only with labelled predictions (write_execution).
    return write_execution(sink, report_folder(endpoint, schedule, result.windows.labels), files,
                           has_data=result.metrics is not None)
