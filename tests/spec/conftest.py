from __future__ import annotations

from pathlib import Path

import pytest

BASE = """\
name: fraud-detection
team: rc
project: project-a
model:
  features:
    - {name: txn_count_1h, type: numeric}
    - {name: amount, type: numeric}
  target: is_fraud
  data:
    synthetic: {rows: 1000, seed: 7}
  algorithm: random_forest
  hyperparameters: {n_estimators: 10}
  gate: {roc_auc: 0.5}
endpoint:
  serverless:
    memory_mb: 2048
    max_concurrency: 5
capture:
  sampling_percent: 100
monitoring:
  schedule: hourly
  drift:
    threshold: 0.1
    features: {amount: 0.05}
alarms:
  notify:
    - email: oncall@example.com
environments:
  local:
    target: local
  dev:
    target: aws
    region: ap-southeast-1
    account: "123456789012"
    bucket: acme-sm-rc-project-a
"""


@pytest.fixture
def write_spec(tmp_path: Path):
    """Writes spec text to <tmp>/specs/spec.yaml and returns its path."""

    def write(text: str = BASE) -> Path:
        path = tmp_path / "specs" / "spec.yaml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text)
        return path

    return write
