"""A project whose spec has challengers, for the lock, build and deploy tests: the example spec on a
realtime endpoint with two A/B challengers, or with one shadow (SageMaker hosts a shadow alone)."""

from __future__ import annotations

from pathlib import Path

from fraudspec.lock.layout import LAYOUT, VARIANT_KINDS
from fraudspec.lock.record import record_built
from fraudspec.render.artifacts import needed_kinds
from fraudspec.spec.load import load_spec
from fraudspec.spec.model import Spec

EXAMPLE = Path(__file__).resolve().parents[2] / "specs" / "fraud-detection.yaml"
REALTIME = "endpoint:\n  realtime: {instance_type: ml.m5.large, instance_count: 2}\n  challengers:\n"
AB = ("    - {variant: deep, mode: ab, percent: 10, model: {hyperparameters: {n_estimators: 12, max_depth: 4}}}\n"
      "    - {variant: gbm, mode: ab, percent: 20, model: {algorithm: gradient_boosting}, instance_count: 2}\n")
SHADOW = "    - {variant: gbm, mode: shadow, percent: 30, model: {algorithm: gradient_boosting}}\n"


def spec_text(challengers: str = AB, rows: int = 3000) -> str:
    """The example, small enough to train in a second, with `challengers` (YAML list items) on a realtime endpoint."""
    text = EXAMPLE.read_text().replace("rows: 20000", f"rows: {rows}").replace("n_estimators: 100", "n_estimators: 10")
    text = text.replace("gate: {roc_auc: 0.90}", "gate: {roc_auc: 0.7}")  # a gate every small variant clears
    text = text.replace("endpoint:\n  serverless: {memory_mb: 2048, max_concurrency: 5}\n", REALTIME + challengers)
    text = text.replace("      endpoint: {serverless: {memory_mb: 4096, max_concurrency: 20}}",
                        "      endpoint: {realtime: {instance_type: ml.m5.large, instance_count: 3}}")
    assert "challengers" in text and "serverless" not in text and "0.7}" in text, "the example changed: fix this"
    return text


def write_project(root: Path, text: str) -> Path:
    (root / "specs").mkdir(parents=True, exist_ok=True)
    spec_file = root / "specs" / EXAMPLE.name
    spec_file.write_text(text)
    return spec_file


def fixture_bytes(kind: str, variant: str | None) -> bytes:
    """Distinct content per variant and kind, so a mix-up between variants shows as a wrong digest."""
    return f"fixture {kind} of {variant or 'the champion'}\n".encode()


def write_fixtures(spec: Spec) -> None:
    """Stand-in build outputs in every variant's workspace (what `fraudspec build` writes there)."""
    for view in spec.variant_specs:
        kinds = needed_kinds(spec) if view.challenger is None else VARIANT_KINDS
        for kind in kinds:
            path = view.workspace.own / LAYOUT[kind].build_path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(fixture_bytes(kind, view.challenger))


def built_project(root: Path, text: str, env: str = "dev") -> Spec:
    """A project whose `env` was "built": fixture files in every variant's workspace, locked as build locks."""
    spec = load_spec(write_project(root, text), env)
    write_fixtures(spec)
    record_built(spec, needed_kinds(spec), whole_entry=True)
    return spec
