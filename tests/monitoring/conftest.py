"""Capture records, capture folders, baselines and specs for the monitoring tests."""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pytest

from fraudspec.monitoring.alarms.definitions import Alarm, Metric
from fraudspec.monitoring.engine.constraints import Constraints, suggest
from fraudspec.monitoring.engine.statistics import DatasetStatistics, profile
from fraudspec.monitoring.engine.table import TableBuilder
from fraudspec.monitoring.records.blocks import CaptureBlock
from fraudspec.monitoring.records.hours import Window

HOUR = datetime(2024, 5, 1, 10, tzinfo=timezone.utc)
WINDOW = Window(HOUR, HOUR.replace(hour=11))
ENDPOINT, VARIANT = "ep", "AllTraffic"

SPEC = """\
name: fraud-detection
team: rc
project: project-a
model:
  features:
    - {name: txn_count_1h, type: numeric}
    - {name: amount, type: numeric}
    - {name: channel, type: categorical}
  target: is_fraud
  data:
    synthetic: {rows: 1000, seed: 7}
  algorithm: random_forest
endpoint:
  serverless: {memory_mb: 2048, max_concurrency: 5}
monitoring:
  schedule: hourly
  drift:
    threshold: 0.1
    features: {amount: 0.05}
environments:
  local:
    target: local
"""


def capture_line(data: str, *, encoding: str = "CSV", content_type: str = "text/csv") -> str:
    """One record in SageMaker's compact layout (the fast path's shape)."""
    record = {
        "captureData": {
            "endpointInput": {"observedContentType": content_type, "mode": "INPUT", "data": data, "encoding": encoding},
            "endpointOutput": {"observedContentType": "application/json", "mode": "OUTPUT",
                               "data": '{"is_fraud":0,"fraud_probability":0.01,"confidence":0.99}', "encoding": "JSON"},
        },
        "eventMetadata": {"eventId": "6f1c1a9e-0000-4000-8000-000000000000", "inferenceTime": "2024-05-01T10:21:48Z"},
        "eventVersion": "0",
    }
    return json.dumps(record, separators=(",", ":"))


def json_line(payload: object) -> str:
    return capture_line(json.dumps(payload), encoding="JSON", content_type="application/json")


def base64_line(text: str, content_type: str) -> str:
    return capture_line(base64.b64encode(text.encode()).decode(), encoding="BASE64", content_type=content_type)


def blocks(*lines: str, source: str = "capture.jsonl") -> list[CaptureBlock]:
    return [CaptureBlock(source, "".join(line + "\n" for line in lines).encode())]


def write_capture(root: Path, hour: datetime, lines: Sequence[str], name: str = "00-00-000-a.jsonl",
                  endpoint: str = ENDPOINT) -> Path:
    folder = root / endpoint / VARIANT / hour.strftime("%Y/%m/%d/%H")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("".join(line + "\n" for line in lines))
    return path


def csv_rows(matrix: np.ndarray) -> list[str]:
    """As the build's CSV writer prints numbers: whole ones as integers, NaN as an empty field."""
    def text(value: float) -> str:
        return "" if np.isnan(value) else str(int(value)) if value.is_integer() else repr(value)

    return [",".join(text(v) for v in row) for row in matrix.tolist()]


def baseline_of(features: Sequence[str], rows: Sequence[Sequence[object]],
                text_features: Sequence[str] = ()) -> tuple[DatasetStatistics, Constraints]:
    """Statistics (types inferred) and suggested constraints of positional rows."""
    builder = TableBuilder(features, text_features)
    for row in rows:
        builder.add_positional(row)
    table = builder.build()
    types = {name: ("String" if name in text_features else _numeric_type(table.columns[name])) for name in features}
    statistics = profile(table, types)
    return statistics, suggest(statistics)


def _numeric_type(column) -> str:
    return "Fractional" if column.fractional else "Integral"


@pytest.fixture
def spec_path(tmp_path: Path) -> Path:
    path = tmp_path / "specs" / "spec.yaml"
    path.parent.mkdir()
    path.write_text(SPEC)
    return path


def alarm_on(metric: str, threshold: float, comparison: str = "GreaterThanThreshold", *, name: str = "a",
             evaluation_periods: int = 1, datapoints_to_alarm: int = 1, treat_missing_data: str = "missing") -> Alarm:
    """An alarm on one metric of the monitoring job, CloudWatch's defaults otherwise."""
    return Alarm(key=name, name=name, description="", source="drift",
                 metric=Metric("ns", metric, {}, "Maximum", 3600), comparison=comparison,  # type: ignore[arg-type]
                 threshold=threshold, evaluation_periods=evaluation_periods, datapoints_to_alarm=datapoints_to_alarm,
                 treat_missing_data=treat_missing_data)  # type: ignore[arg-type]
