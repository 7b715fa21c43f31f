"""The local target end to end: `apply` builds what changed and (re)starts the runtime; `destroy`
stops it; `status` describes it."""

from __future__ import annotations

import fcntl
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

from fraudspec.artifact.pipeline import build
from fraudspec.monitoring.engine.baseline import write_baseline
from fraudspec.runtime import process as runtime
from fraudspec.spec import webhooks
from fraudspec.spec.model import Spec
from fraudspec.spec.plain import spec_digest


@dataclass(frozen=True)
class Applied:
    action: Literal["started", "restarted", "unchanged"]
    info: runtime.RuntimeInfo
    model_sha256: str


@dataclass(frozen=True)
class Prepared:
    digest: str  # of the effective spec, the model and the baseline: what the runtime will serve
    model_sha256: str


def prepare(spec: Spec, progress: bool = True) -> Prepared:
    """Builds (or reuses) every variant's model and writes its baseline; a webhook URL the runtime could
    not use is refused first. `model_sha256` is the champion's (the model callers get answers from)."""
    webhooks.resolve(spec, local=True)
    digest = hashlib.sha256(spec_digest(spec).encode())
    champion_sha256 = ""
    for view in spec.variant_specs:  # the champion first: the runtime serves each view's own model
        result = build(view, progress=progress)
        champion_sha256 = champion_sha256 or result.sha256
        _, _, paths = write_baseline(view)
        for path in (view.workspace.model_tar, paths.statistics, paths.constraints):
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return Prepared(digest.hexdigest(), champion_sha256)


def apply(spec: Spec, progress: bool = True) -> Applied:
    with _one_apply_at_a_time(spec):
        prepared = prepare(spec, progress)
        current = runtime.running(spec)
        if current is not None and current.digest == prepared.digest:
            return Applied("unchanged", current, prepared.model_sha256)
        if current is not None:
            runtime.stop(spec)
        info = runtime.start(spec, prepared.digest)
        return Applied("restarted" if current is not None else "started", info, prepared.model_sha256)


@contextmanager
def _one_apply_at_a_time(spec: Spec) -> Iterator[None]:
    """A second apply of the same spec waits for the first, then finds its runtime (and its build)."""
    spec.workspace.root.mkdir(parents=True, exist_ok=True)
    with open(spec.workspace.runtime_lock, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def serve_foreground(spec: Spec, progress: bool = True) -> None:
    from fraudspec.runtime.daemon import serve

    prepared = prepare(spec, progress)
    if runtime.running(spec) is not None:
        runtime.stop(spec)
    serve(spec, prepared.digest)
