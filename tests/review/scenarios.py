"""Pull requests against a committed example, for the golden diff tests and `update_goldens.py`.

`committed_repo` makes a git repository holding the example spec, a lock of fixture artifacts
(dev built, staging promoted from dev) and both environments' rendered Terraform, committed;
`committed_challengers` does the same for the challengers example (shadow and ab built, a model
and baseline for each challenger too). Each scenario then changes the working tree the way a pull
request would.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from fraudspec.cli.main import main
from fraudspec.lock.file import lock_path, update_lock
from fraudspec.lock.inputs import spec_digests
from fraudspec.lock.layout import LAYOUT, VARIANT_KINDS, locate
from fraudspec.lock.model import Lock, LockedArtifact, LockEntry
from fraudspec.lock.record import record_built
from fraudspec.render.artifacts import needed_kinds
from fraudspec.render.environment import render_environment
from fraudspec.spec.load import load_spec

HERE = Path(__file__).parent
GOLDEN = HERE / "golden"
EXAMPLE = HERE.parents[1] / "specs" / "fraud-detection.yaml"
CHALLENGERS = HERE.parents[1] / "specs" / "fraud-detection-challengers.yaml"
MODEL_V1, MODEL_V2 = b"fixture model v1\n", b"fixture model v2\n"
OTHERS = {"statistics": b"{}\n", "constraints": b'{"features": []}\n', "monitor_lambda": b"fixture monitor.zip\n"}


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=root,
                          check=True, capture_output=True, text=True).stdout


def committed_repo(root: Path) -> Path:
    """The committed example under `root`; returns its spec file."""
    (root / "specs").mkdir(parents=True)
    spec_file = root / "specs" / EXAMPLE.name
    shutil.copyfile(EXAMPLE, spec_file)
    _build(spec_file, MODEL_V1)
    _promote(spec_file)
    _render(spec_file, "dev", "staging")
    _commit(root)
    return spec_file


def committed_challengers(root: Path) -> Path:
    """The committed challengers example under `root` (environments shadow and ab); returns its spec file."""
    (root / "specs").mkdir(parents=True)
    spec_file = root / "specs" / CHALLENGERS.name
    shutil.copyfile(CHALLENGERS, spec_file)
    for env in ("shadow", "ab"):
        _build(spec_file, MODEL_V1, env)
    _render(spec_file, "shadow", "ab")
    _commit(root)
    return spec_file


def _commit(root: Path) -> None:
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "specs", "terraform")
    git(root, "commit", "-q", "-m", "example")


def _edit(spec_file: Path, old: str, new: str) -> None:
    text = spec_file.read_text()
    assert old in text, old
    spec_file.write_text(text.replace(old, new, 1))


def _build(spec_file: Path, model: bytes, env: str = "dev") -> None:
    """What `fraudspec build --env ENV` locks, from fixture bytes; build/ is removed again."""
    spec = load_spec(spec_file, env)
    for kind in needed_kinds(spec):
        _write(spec.workspace.root / LAYOUT[kind].build_path, model if kind == "model" else OTHERS[kind])
    for view in spec.variant_specs[1:]:  # a challenger's own model and baseline, its name in the bytes
        for kind in VARIANT_KINDS:
            _write(view.workspace.own / LAYOUT[kind].build_path,
                   (model if kind == "model" else OTHERS[kind]) + view.variant.name.encode())
    record_built(spec, needed_kinds(spec), whole_entry=True)
    shutil.rmtree(spec.root / "build")


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def _promote(spec_file: Path) -> None:
    """What `fraudspec promote --from dev --to staging` locks (the S3 copies aside)."""
    staging = load_spec(spec_file, "staging")
    digests = spec_digests(staging)

    def change(lock: Lock) -> Lock:
        artifacts = {kind: LockedArtifact(a.sha256, locate(staging.name, staging.environment.bucket or "", kind,
                                                            a.sha256).uri, digests[kind])
                     for kind, a in lock.environments["dev"].artifacts.items()}
        return lock.with_entry("staging", LockEntry(artifacts, promoted_from="dev"))

    update_lock(lock_path(spec_file), change)


def _render(spec_file: Path, *envs: str) -> None:
    for env in envs:
        render_environment(load_spec(spec_file, env), echo=lambda line: None)


def memory_and_threshold(spec_file: Path) -> None:
    """The issue's example pull request: staging gets more memory and a tighter latency alarm."""
    _edit(spec_file, "      endpoint: {serverless: {memory_mb: 4096, max_concurrency: 20}}",
          "      endpoint: {serverless: {memory_mb: 6144, max_concurrency: 20}}\n"
          "      alarms: {model_latency_ms: 500}")
    _render(spec_file, "staging")


def promotion(spec_file: Path) -> None:
    """A retrained model: built for dev, then promoted to staging."""
    _edit(spec_file, "n_estimators: 100", "n_estimators: 120")
    _build(spec_file, MODEL_V2)
    _promote(spec_file)
    _render(spec_file, "dev", "staging")


def realtime_switch(spec_file: Path) -> None:
    """Staging moves to a real-time endpoint."""
    _edit(spec_file, "      endpoint: {serverless: {memory_mb: 4096, max_concurrency: 20}}",
          "      endpoint: {serverless: null, realtime: {instance_type: ml.m5.xlarge, instance_count: 2}}")
    _render(spec_file, "staging")


def forgot_baseline(spec_file: Path) -> None:
    """A tighter drift threshold, committed without `fraudspec baseline` (so without re-rendering)."""
    _edit(spec_file, "features: {amount: 0.05}", "features: {amount: 0.03}")


def shadow_share(spec_file: Path) -> None:
    """The shadow challenger gets a copy of 30 % of the requests instead of 20 %."""
    _edit(spec_file, "      percent: 20", "      percent: 30")
    _render(spec_file, "shadow")


def variant_under_canary(spec_file: Path) -> None:
    """Canary rollouts for both environments, and in ab a second A/B challenger in the same change:
    SageMaker would refuse ab's update, since a guarded update keeps the variant names."""
    _edit(spec_file, "  variant: AllTraffic\n", "  variant: AllTraffic\n  rollout: {strategy: canary, percent: 50}\n")
    _edit(spec_file, "            instance_count: 1\n",
          "            instance_count: 1\n"
          "          - variant: logistic\n"
          "            mode: ab\n"
          "            percent: 5\n"
          "            model: {algorithm: logistic_regression}\n")
    _build(spec_file, MODEL_V1, "ab")
    _render(spec_file, "shadow", "ab")


SCENARIOS: dict[str, Callable[[Path], None]] = {
    "memory-and-threshold": memory_and_threshold,
    "promotion": promotion,
    "realtime-switch": realtime_switch,
    "forgot-baseline": forgot_baseline,
    "shadow-share": shadow_share,
    "variant-under-canary": variant_under_canary,
}
# The committed repository each scenario starts from (the main example unless named here).
BASES: dict[str, Callable[[Path], Path]] = {"shadow-share": committed_challengers,
                                           "variant-under-canary": committed_challengers}
FORMATS = {"text": "txt", "markdown": "md"}


def golden(scenario: str, fmt: str) -> Path:
    return GOLDEN / f"{scenario}.{FORMATS[fmt]}"


def run_diff(scenario: str, root: Path) -> dict[str, str]:
    """`fraudspec diff --against HEAD` of the scenario's pull request, per format."""
    spec_file = BASES.get(scenario, committed_repo)(root)
    SCENARIOS[scenario](spec_file)
    outputs = {}
    for fmt in FORMATS:
        stdout = io.StringIO()
        with contextlib.redirect_stdout(stdout):
            assert main(["diff", "--spec", str(spec_file), "--against", "HEAD", "--format", fmt]) == 0
        outputs[fmt] = stdout.getvalue()
    return outputs
