"""Capture records with predictions, ground-truth records, and a spec with model quality, for the quality tests."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

import pytest

from fraudspec.monitoring.records.blocks import CaptureBlock
from fraudspec.monitoring.records.groundtruth import ground_truth_line
from tests.monitoring.conftest import SPEC

HOUR = datetime(2024, 5, 1, 10, tzinfo=timezone.utc)

QUALITY_SPEC = SPEC.replace("environments:\n", """\
  model_quality:
    metrics: {recall: {min: 0.6}, false_positive_rate: {max: 0.2}}
    min_labels: 4
    probability_threshold: 0.5
environments:
""")


def prediction_line(event_id: str, probabilities: float | Sequence[float], *, inference_id: str | None = None,
                    csv: bool = False) -> str:
    """A capture record as the fraudspec handler writes it: JSON output (a list for a batch) or CSV rows."""
    batch = not isinstance(probabilities, (int, float))
    values = list(probabilities) if batch else [probabilities]
    results = [{"is_fraud": int(p >= 0.5), "fraud_probability": p, "confidence": max(p, 1 - p)} for p in values]
    if csv:
        output = {"observedContentType": "text/csv", "mode": "OUTPUT", "encoding": "CSV",
                  "data": "".join(f"{r['is_fraud']},{r['fraud_probability']!r},{r['confidence']!r}\n" for r in results)}
    else:
        output = {"observedContentType": "application/json", "mode": "OUTPUT", "encoding": "JSON",
                  "data": json.dumps(results if batch else results[0])}
    metadata = {"eventId": event_id, "inferenceTime": "2024-05-01T10:21:48Z"}
    if inference_id is not None:
        metadata["inferenceId"] = inference_id
    record = {"captureData": {"endpointInput": {"observedContentType": "text/csv", "mode": "INPUT", "data": "1,2,a",
                                                "encoding": "CSV"}, "endpointOutput": output},
              "eventMetadata": metadata, "eventVersion": "0"}
    return json.dumps(record, separators=(",", ":"))


def label_line(key: str, *labels: int) -> str:
    return ground_truth_line(key, labels)


def blocks(*lines: str, source: str = "file.jsonl") -> list[CaptureBlock]:
    return [CaptureBlock(source, "".join(line + "\n" for line in lines).encode())]


def write_lines(folder: Path, lines: Sequence[str], name: str = "00-00-000-a.jsonl") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("".join(line + "\n" for line in lines))
    return path


@pytest.fixture
def quality_spec_path(tmp_path: Path) -> Path:
    path = tmp_path / "quality" / "specs" / "spec.yaml"  # beside tests.monitor's spec_path, not over it
    path.parent.mkdir(parents=True)
    path.write_text(QUALITY_SPEC)
    return path
