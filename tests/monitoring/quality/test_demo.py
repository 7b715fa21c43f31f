"""The demo's story end to end: clean traffic passes, drifted traffic with degraded labels breaks recall,
and the recall alarm (CloudWatch semantics, as the local runtime evaluates them) goes to ALARM."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
from sklearn.linear_model import LogisticRegression

from fraudspec.client.labels import noisy_labels
from fraudspec.monitoring.alarms.definitions import quality_alarms
from fraudspec.monitoring.alarms.evaluate import evaluate
from fraudspec.monitoring.jobs.for_spec import default_ground_truth
from fraudspec.monitoring.quality.metrics import metric_data
from fraudspec.monitoring.records.hours import Window, hour_path
from fraudspec.monitoring.records.label_store import GroundTruthLabel, write_ground_truth
from fraudspec.runtime.monitoring import run_quality_scheduled
from fraudspec.spec.load import load_spec
from fraudspec.training.synthetic import generate, generate_drifted
from tests.monitoring.quality.conftest import HOUR, QUALITY_SPEC, prediction_line, write_lines

FEATURES = ["txn_count_1h", "amount"]
H = timedelta(hours=1)


def test_drifted_traffic_with_degraded_labels_fires_the_recall_alarm(tmp_path) -> None:
    path = tmp_path / "specs" / "spec.yaml"
    path.parent.mkdir()
    path.write_text(QUALITY_SPEC.replace("metrics: {recall: {min: 0.6}, false_positive_rate: {max: 0.2}}",
                                         "metrics: {recall: {min: 0.45}}")
                    .replace("min_labels: 4", "min_labels: 200").replace("probability_threshold: 0.5",
                                                                           "probability_threshold: 0.3"))
    spec = load_spec(path, "local")
    training = generate(FEATURES, 4000, 7, 0.1)
    model = LogisticRegression().fit(np.log1p(np.nan_to_num(training.X)), training.y)

    def send(dataset, labels, hour, prefix: str) -> None:
        probabilities = model.predict_proba(np.log1p(np.nan_to_num(dataset.X)))[:, 1]
        ids = [f"{prefix}-{i}" for i in range(len(labels))]
        write_lines(spec.workspace.capture / spec.names.endpoint / spec.endpoint.variant / hour_path(hour),
                    [prediction_line(f"event-{key}", float(p), inference_id=key) for key, p in zip(ids, probabilities)])
        write_ground_truth(default_ground_truth(spec),
                           [GroundTruthLabel(key, int(y), hour + timedelta(minutes=30)) for key, y in zip(ids, labels)])

    clean = generate(FEATURES, 600, 11, 0.1)
    send(clean, clean.y, HOUR, "clean")
    drifted = generate_drifted(FEATURES, 600, 12, "amount=x0.5", 0.1)
    send(drifted, noisy_labels([int(y) for y in drifted.y], 0.05, seed=3), HOUR + H, "drifted")

    passing = run_quality_scheduled(spec, Window(HOUR, HOUR + H)).result
    failing = run_quality_scheduled(spec, Window(HOUR + H, HOUR + 2 * H)).result
    assert passing.status == "Completed" and passing.counts.labelled == 600
    assert failing.status == "CompletedWithViolations" and [v.metric for v in failing.violations] == ["recall"]
    assert not np.isnan(failing.deviations["recall"])  # 600 labels: Model Monitor's deviations are present

    (alarm,) = [a for a in quality_alarms(spec) if a.metric_name == "recall"]
    assert (alarm.name, alarm.threshold, alarm.comparison) == (f"{spec.names.base}-model-quality-recall", 0.45,
                                                                "LessThanThreshold")
    history = [{d.name: d.value for d in metric_data(result)}["recall"] for result in (passing, failing)]
    assert evaluate(alarm, history[:1], "INSUFFICIENT_DATA") == "OK"
    assert evaluate(alarm, history, "OK") == "ALARM"
