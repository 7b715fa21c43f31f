"""Specs, datasets and trained artifacts shared by the build tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fraudspec.spec.model import (
    AlarmsSpec,
    CaptureSpec,
    EndpointSpec,
    Environment,
    Feature,
    ModelSpec,
    MonitoringSpec,
    Schedule,
    ServerlessEndpoint,
    Spec,
    SyntheticData,
    frozen_map,
)

SMALL_FOREST = {"n_estimators": 20, "max_depth": 8}  # fast to train, still clears a 0.9 roc_auc
EXAMPLE_FEATURES = tuple(
    Feature(name) for name in ("txn_count_1h", "txn_amount_1h", "merchant_count_24h", "avg_amount_7d", "amount")
)


def _make_spec(root: Path, *, features=EXAMPLE_FEATURES, rows: int = 4000, data=None,
              hyperparameters: dict[str, Any] | None = None, **model: Any) -> Spec:
    """A local-environment spec under `root` (build outputs go to root/build/fraud-detection/local)."""
    model_spec = ModelSpec(
        features=tuple(features),
        target="is_fraud",
        data=data or SyntheticData(rows=rows, seed=7),
        hyperparameters=frozen_map(SMALL_FOREST if hyperparameters is None else hyperparameters),
        **model,
    )
    return Spec(
        path=root / "specs" / "fraud-detection.yaml",
        name="fraud-detection",
        team="rc",
        project="project-a",
        model=model_spec,
        endpoint=EndpointSpec(serverless=ServerlessEndpoint()),
        capture=CaptureSpec(),
        monitoring=MonitoringSpec(schedule=Schedule("hourly", "cron(0 * ? * * *)", "cron(0 * ? * * *)")),
        alarms=AlarmsSpec(),
        environment=Environment(name="local"),
        environments=("local",),
    )


@pytest.fixture(scope="session")
def built_model(tmp_path_factory):
    """One small random-forest build shared by the handler tests: (BuildResult, extracted model dir)."""
    from fraudspec.artifact.loader import extract
    from fraudspec.artifact.pipeline import build

    root = tmp_path_factory.mktemp("project")
    result = build(_make_spec(root), progress=False)
    return result, extract(result.model_tar, root / "model")


@pytest.fixture(scope="session")
def example_features() -> tuple[Feature, ...]:
    """The seed spec's features: txn_count_1h, txn_amount_1h, merchant_count_24h, avg_amount_7d, amount."""
    return EXAMPLE_FEATURES


@pytest.fixture(scope="session")
def make_spec():
    """make_spec(root, **model fields) -> a local-environment Spec under root."""
    return _make_spec
