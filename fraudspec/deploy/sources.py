"""Where `apply` finds the bytes of each locked artifact that S3 may not hold yet.

An entry built for this environment: its files under build/<env>/ (the monitoring Lambda rebuilt
first, from the fraudspec that runs now). A file that exists but is not the locked artifact is
refused: deploying it, or deploying the lock while build/ says otherwise, would be a guess.
A promoted entry: the source environment's build/<from>/ files, where they still match; `promote`
normally copied everything to S3 already.
"""

from __future__ import annotations

from pathlib import Path

from fraudspec.core.errors import FraudspecError
from fraudspec.deploy import lambda_package
from fraudspec.lock.file import lock_name
from fraudspec.lock.layout import LAYOUT, SHORT_DIGEST, Kind, sha256_file
from fraudspec.lock.model import LockEntry
from fraudspec.spec.model import Spec
from fraudspec.spec.workspace import Workspace


def local_sources(spec: Spec, entry: LockEntry) -> dict[Kind, Path]:
    if entry.promoted_from is not None:
        return _matching(Workspace.of(spec.root, spec.path, entry.promoted_from).root, entry)
    if "monitor_lambda" in entry.artifacts:
        lambda_package.build(spec)
    sources = _matching(spec.workspace.root, entry)
    for kind, locked in entry.artifacts.items():
        path = spec.workspace.root / LAYOUT[kind].build_path
        if path.is_file() and kind not in sources:
            env = spec.environment.name
            why = " (rebuilt from this fraudspec: its monitoring code changed since the lock was written)" \
                if kind == "monitor_lambda" else ""
            raise FraudspecError(
                f"{path.relative_to(spec.root).as_posix()} is sha256 {sha256_file(path)[:SHORT_DIGEST]}{why}, but "
                f"{lock_name(spec)} locks sha256 {locked.sha256[:SHORT_DIGEST]} for {env}",
                hint=f"run `fraudspec build --env {env}` to rebuild and re-lock, then review and commit the lock "
                     f"and terraform/{env}/")
    return sources


def _matching(directory: Path, entry: LockEntry) -> dict[Kind, Path]:
    found = {}
    for kind, locked in entry.artifacts.items():
        path = directory / LAYOUT[kind].build_path
        if path.is_file() and sha256_file(path) == locked.sha256:
            found[kind] = path
    return found


def missing_hint(spec: Spec, entry: LockEntry) -> str:
    env = spec.environment.name
    if entry.promoted_from is not None:
        return f"promote it again: `fraudspec promote --from {entry.promoted_from} --to {env}`"
    return f"build it: `fraudspec build --env {env}`"
