"""Where `apply` finds the bytes of each locked artifact that S3 may not hold yet.

An entry built for this environment: its files under build/<env>/ (the monitoring Lambda rebuilt
first, from the fraudspec that runs now), and each challenger's under its own `variants/<name>/`.
A file that exists but is not the locked artifact is refused: deploying it, or deploying the lock
while build/ says otherwise, would be a guess.
A promoted entry: the source environment's build/<from>/ files, where they still match; `promote`
normally copied everything to S3 already.
Sources are keyed by sha256, as the artifacts' S3 keys are: a champion and a challenger may share
an artifact (the same training data profiles to the same statistics), never a digest for two files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from fraudspec.core.errors import FraudspecError
from fraudspec.deploy import glue_package, lambda_package
from fraudspec.lock.file import lock_name
from fraudspec.lock.layout import LAYOUT, SHORT_DIGEST, Kind, sha256_file
from fraudspec.lock.model import LockedArtifact, LockEntry
from fraudspec.spec.model import Spec
from fraudspec.spec.workspace import Workspace

Sources = dict[str, Path]  # sha256 -> a local file with that content
Folder = Callable[[str | None], Path]  # a variant's build folder (None: the champion's, the environment's)


def _folders(spec: Spec, env: str) -> Folder:
    """Each variant's folder in environment `env`'s workspace (Workspace.own)."""
    return lambda variant: Workspace.of(spec.root, spec.path, env, variant).own


def local_sources(spec: Spec, entry: LockEntry) -> Sources:
    if entry.promoted_from is not None:
        return _matching(_folders(spec, entry.promoted_from), entry)
    if "monitor_lambda" in entry.artifacts:
        lambda_package.build(spec)
    if "monitor_glue" in entry.artifacts:
        glue_package.build(spec)
    folders = _folders(spec, spec.environment.name)
    sources = _matching(folders, entry)
    for variant, kind, locked, path in _located(folders, entry):
        if path.is_file() and locked.sha256 not in sources:
            env = spec.environment.name
            why = " (rebuilt from this fraudspec: its monitoring code changed since the lock was written)" \
                if kind in ("monitor_lambda", "monitor_glue") else ""
            whose = "" if variant is None else f" for challenger {variant}"
            raise FraudspecError(
                f"{path.relative_to(spec.root).as_posix()} is sha256 {sha256_file(path)[:SHORT_DIGEST]}{why}, but "
                f"{lock_name(spec)} locks sha256 {locked.sha256[:SHORT_DIGEST]}{whose} for {env}",
                hint=f"run `fraudspec build --env {env}` to rebuild and re-lock, then review and commit the lock "
                     f"and terraform/{env}/")
    return sources


def _located(folder: Folder, entry: LockEntry) -> Iterator[tuple[str | None, Kind, LockedArtifact, Path]]:
    """Every locked artifact with the file it is built to: (variant or None, kind, locked, path)."""
    owned: dict[str | None, Mapping[Kind, LockedArtifact]] = {None: entry.artifacts}
    owned.update(entry.variants)
    for variant, artifacts in owned.items():
        for kind, locked in artifacts.items():
            yield variant, kind, locked, folder(variant) / LAYOUT[kind].build_path


def _matching(folder: Folder, entry: LockEntry) -> Sources:
    return {locked.sha256: path for _, _, locked, path in _located(folder, entry)
            if path.is_file() and sha256_file(path) == locked.sha256}


def missing_hint(spec: Spec, entry: LockEntry) -> str:
    env = spec.environment.name
    if entry.promoted_from is not None:
        return f"promote it again: `fraudspec promote --from {entry.promoted_from} --to {env}`"
    return f"build it: `fraudspec build --env {env}`"
