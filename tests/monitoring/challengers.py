"""A local spec with a shadow challenger, each variant's baseline, and capture in SageMaker's layout per variant.

The champion's baseline has `amount` around 10-60, the challenger's around 500-550: the same captured
traffic is in line with the champion's and far from the challenger's, so a report shows whose baseline
it was checked against. Predictions carry inference ids, so model quality joins one label file to both.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from fraudspec.monitoring.engine.baseline import write_baseline
from fraudspec.monitoring.records.groundtruth import ground_truth_line
from fraudspec.monitoring.records.hours import hour_path
from fraudspec.spec.load import load_spec
from fraudspec.spec.model import Spec
from tests.monitoring.conftest import SPEC

CHALLENGER_SPEC = SPEC.replace("""endpoint:
  serverless: {memory_mb: 2048, max_concurrency: 5}
""", """endpoint:
  realtime: {instance_type: ml.m5.large, instance_count: 1}
  challengers:
    - {variant: gbm, mode: shadow, percent: 30, model: {algorithm: gradient_boosting}}
""").replace("environments:\n", """  model_quality:
    metrics: {recall: {min: 0.6}}
    min_labels: 4
    probability_threshold: 0.5
environments:
""")
CHAMPION, CHALLENGER = "AllTraffic", "gbm"


def write_challenger_spec(root: Path) -> Path:
    path = root / "specs" / "spec.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(CHALLENGER_SPEC)
    return path


def baselines(spec: Spec) -> None:
    """Each variant's training data and baseline, written as the build writes them (write_baseline)."""
    for view, offset in zip(spec.variant_specs, (10.0, 500.0)):
        rows = [f"{i % 5},{offset + (i % 50):.1f},{'web' if i % 3 else 'app'},{i % 2}" for i in range(600)]
        view.workspace.train_csv.parent.mkdir(parents=True, exist_ok=True)
        view.workspace.train_csv.write_text("txn_count_1h,amount,channel,is_fraud\n" + "\n".join(rows) + "\n")
        write_baseline(view)


def load_challenger_spec(root: Path) -> Spec:
    spec = load_spec(write_challenger_spec(root), "local")
    baselines(spec)
    return spec


def request_line(index: int, probability: float, amount: float | None = None) -> str:
    """One captured request and its prediction, as the fraudspec handler writes them."""
    amount = 10.0 + index % 50 if amount is None else amount
    output = {"is_fraud": int(probability >= 0.5), "fraud_probability": probability,
              "confidence": max(probability, 1 - probability)}
    record = {
        "captureData": {
            "endpointInput": {"observedContentType": "text/csv", "mode": "INPUT", "encoding": "CSV",
                              "data": f"{index % 5},{amount:.1f},{'web' if index % 3 else 'app'}"},
            "endpointOutput": {"observedContentType": "application/json", "mode": "OUTPUT", "encoding": "JSON",
                               "data": json.dumps(output)}},
        "eventMetadata": {"eventId": f"event-{index}", "inferenceId": f"id-{index}",
                          "inferenceTime": "2024-05-01T10:21:48Z"},
        "eventVersion": "0",
    }
    return json.dumps(record, separators=(",", ":"))


def capture(spec: Spec, variant: str, hour: datetime, lines: Sequence[str], name: str = "00-00-000-a.jsonl") -> Path:
    """Lines in `capture/{endpoint}/{variant}/yyyy/mm/dd/hh/`, where SageMaker puts each variant's capture."""
    folder = spec.workspace.capture / spec.names.endpoint / variant / hour_path(hour)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("".join(line + "\n" for line in lines))
    return path


def labels(spec: Spec, hour: datetime, labelled: Sequence[tuple[int, int]]) -> None:
    """The endpoint's ground truth: (request index, label) keyed by the request's inference id."""
    folder = spec.workspace.ground_truth / hour_path(hour)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "labels.jsonl").write_text("".join(ground_truth_line(f"id-{i}", [y]) + "\n" for i, y in labelled))
