"""Which spec changes make which locked artifact stale, and the command each staleness names."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from fraudspec.lock.inputs import spec_digests
from fraudspec.lock.layout import locate
from fraudspec.lock.model import LockedArtifact, LockEntry
from fraudspec.lock.stale import fix_hint, stale_artifacts
from fraudspec.spec.load import load_spec
from fraudspec.spec.model import Spec

EXAMPLE = Path(__file__).resolve().parents[2] / "specs" / "fraud-detection.yaml"
SHA = "e" * 64


def _project(tmp_path: Path, text: str) -> Path:
    (tmp_path / "specs").mkdir(parents=True, exist_ok=True)
    spec_file = tmp_path / "specs" / "fraud-detection.yaml"
    spec_file.write_text(text)
    return spec_file


def _entry(spec: Spec, promoted_from: str | None = None) -> LockEntry:
    """What `build` would lock for this spec right now."""
    return LockEntry({kind: LockedArtifact(SHA, locate(spec.name, spec.environment.bucket, kind, SHA).uri, digest)
                      for kind, digest in spec_digests(spec).items()}, promoted_from)


def _stale_after(tmp_path: Path, old: str, new: str, env: str = "dev") -> set[str]:
    text = EXAMPLE.read_text()
    spec_file = _project(tmp_path, text)
    entry = _entry(load_spec(spec_file, env))
    assert old in text, old
    spec_file.write_text(text.replace(old, new, 1))
    return {stale.kind for stale in stale_artifacts(load_spec(spec_file, env), entry)}


@pytest.mark.parametrize(("old", "new", "stale"), [
    # The endpoint, capture, alarms, schedule and quality gate do not shape any artifact.
    ("serverless: {memory_mb: 2048, max_concurrency: 5}", "serverless: {memory_mb: 4096, max_concurrency: 5}", set()),
    ("sampling_percent: 100", "sampling_percent: 50", set()),
    ("model_latency_ms: 1000", "model_latency_ms: 500", set()),
    ("schedule: hourly", "schedule: daily", set()),
    ("gate: {roc_auc: 0.90}", "gate: {roc_auc: 0.95}", set()),
    # The model section shapes the model; its data settings also the baseline.
    ("n_estimators: 100", "n_estimators: 120", {"model"}),
    ("synthetic: {rows: 20000, seed: 7}", "synthetic: {rows: 20000, seed: 8}", {"model", "statistics", "constraints"}),
    # Monitoring thresholds shape the constraints only.
    ("threshold: 0.1", "threshold: 0.2", {"constraints"}),
    ("features: {amount: 0.05}", "features: {amount: 0.03}", {"constraints"}),
    # Moving the artifacts elsewhere makes every one of them stale, the Lambda included.
    ("bucket: acme-sm-rc-project-a", "bucket: acme-sm-rc-other",
     {"model", "statistics", "constraints", "monitor_lambda", "monitor_glue"}),
])
def test_what_makes_an_artifact_stale(tmp_path: Path, old: str, new: str, stale: set[str]) -> None:
    assert _stale_after(tmp_path, old, new) == stale


def test_a_csv_is_judged_by_its_content_not_its_path(tmp_path: Path) -> None:
    (tmp_path / "specs").mkdir()
    data = tmp_path / "specs" / "train.csv"
    data.write_text("txn_count_1h,txn_amount_1h,merchant_count_24h,avg_amount_7d,amount,is_fraud\n1,2,3,4,5,0\n")
    text = EXAMPLE.read_text().replace("synthetic: {rows: 20000, seed: 7}", "csv: train.csv")
    spec_file = _project(tmp_path, text)
    entry = _entry(load_spec(spec_file, "dev"))
    moved = _project(tmp_path / "elsewhere", text)
    (moved.parent / "train.csv").write_text(data.read_text())
    assert stale_artifacts(load_spec(moved, "dev"), entry) == ()
    data.write_text(data.read_text() + "6,7,8,9,10,1\n")
    assert {s.kind for s in stale_artifacts(load_spec(spec_file, "dev"), entry)} == {"model", "statistics",
                                                                                    "constraints"}


def test_hints_name_the_command_that_fixes_the_staleness(tmp_path: Path) -> None:
    spec = load_spec(_project(tmp_path, EXAMPLE.read_text()), "dev")
    entry = _entry(spec)
    changed = dataclasses.replace(spec, model=dataclasses.replace(spec.model, split_seed=1))
    model_stale = stale_artifacts(changed, entry)
    assert fix_hint(changed, entry, model_stale).startswith("run `fraudspec build --env dev`")
    tighter = dataclasses.replace(spec, monitoring=dataclasses.replace(
        spec.monitoring, drift=dataclasses.replace(spec.monitoring.drift, threshold=0.05)))
    constraints_stale = stale_artifacts(tighter, entry)
    assert [s.kind for s in constraints_stale] == ["constraints"]
    assert fix_hint(tighter, entry, constraints_stale).startswith("run `fraudspec baseline --env dev`")
    promoted = dataclasses.replace(entry, promoted_from="dev")
    assert "`fraudspec promote --from dev --to dev`" in fix_hint(changed, promoted, model_stale)
