"""`fraudspec promote --from dev --to staging`: staging gets exactly dev's locked artifacts.

Nothing is built: the source's lock entry must be fresh against its spec, and the target's spec
must ask for the same artifacts (the same spec parts, fraudspec.lock.inputs), or promoting would
deploy something the target's spec does not describe. Each artifact ends up at its content-
addressed key in the target's bucket, copied server-side from the source's bucket when it is
there (or uploaded from build/<from>/), and verified by hashing what S3 then holds. Finally the
target's lock entry names the same digests with `promoted_from`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from fraudspec.core.errors import FraudspecError
from fraudspec.core.plain_diff import differences, show
from fraudspec.deploy.publish import copy, existing_sha256, upload, verify
from fraudspec.lock.file import lock_path, update_lock
from fraudspec.lock.inputs import Digests, SpecInputs, spec_inputs
from fraudspec.lock.layout import LAYOUT, Artifact, locate, sha256_file
from fraudspec.lock.model import Lock, LockedArtifact, LockEntry, frozen
from fraudspec.lock.stale import require_fresh
from fraudspec.render import require_aws
from fraudspec.render.artifacts import artifacts_from_lock, needed_kinds, require_bucket
from fraudspec.spec.model import Spec

Action = Literal["copied", "uploaded", "present"]


@dataclass(frozen=True)
class Moved:
    artifact: Artifact  # in the target's bucket
    action: Action


@dataclass(frozen=True)
class Promotion:
    before: LockEntry | None  # the target's entry until now
    after: LockEntry
    moved: tuple[Moved, ...]
    lock: Lock  # the whole lock as written
    digests: Digests  # the target spec's (fraudspec.lock.inputs), for rendering it without recomputing them


def promote(source: Spec, target: Spec, s3: Any, *, progress: bool = True) -> Promotion:
    src, dst = source.environment.name, target.environment.name
    if src == dst:
        raise FraudspecError(f"cannot promote environment '{src}' to itself", hint="name two environments")
    require_aws(source)
    require_aws(target)
    inputs = spec_inputs(source), spec_inputs(target)
    done: list[Promotion] = []

    # The promoted entry is derived from the source's: reading and writing under one exclusive
    # lock keeps a concurrent build of the source from changing it in between.
    def change(lock: Lock) -> Lock:
        after, moved = _promoted_entry(source, target, lock, inputs, s3, progress)
        promoted = lock.with_entry(dst, after)
        done.append(Promotion(lock.entry(dst), after, moved, promoted, inputs[1].digests))
        return promoted

    update_lock(lock_path(source.path), change)
    return done[0]


def _promoted_entry(source: Spec, target: Spec, lock: Lock, inputs: tuple[SpecInputs, SpecInputs], s3: Any,
                    progress: bool) -> tuple[LockEntry, tuple[Moved, ...]]:
    """Check that the source's entry may move to the target, move its artifacts, and return the target's new entry."""
    src, dst = source.environment.name, target.environment.name
    artifacts_from_lock(source, lock)  # names the missing step when the source has nothing locked
    entry = lock.environments[src]
    require_fresh(source, entry, inputs[0].digests)
    _require_same_parts(source, target, inputs)
    bucket, digests = require_bucket(target), inputs[1].digests
    moved, artifacts = [], {}
    for kind in needed_kinds(target):
        locked = entry.artifacts.get(kind)
        if locked is None:
            raise FraudspecError(f"{src} has no {kind} locked, and {dst} needs one",
                                 hint=f"run `fraudspec {LAYOUT[kind].command} --env {src}` first")
        origin = locate(source.name, require_bucket(source), kind, locked.sha256)
        destination = locate(target.name, bucket, kind, locked.sha256)
        moved.append(Moved(destination, _place(source, origin, destination, s3, progress)))
        artifacts[kind] = LockedArtifact(locked.sha256, destination.uri, digests[kind])
    return LockEntry(frozen(artifacts), promoted_from=src), tuple(moved)


def _place(source: Spec, origin: Artifact, destination: Artifact, s3: Any, progress: bool) -> Action:
    """Make `destination` hold the artifact, then verify its bytes."""
    local = source.workspace.root / LAYOUT[origin.kind].build_path
    if existing_sha256(destination, s3) == destination.sha256:
        action: Action = "present"
    elif origin.bucket != destination.bucket and existing_sha256(origin, s3) == origin.sha256:
        copy(origin, destination, s3)
        action = "copied"
    elif local.is_file() and sha256_file(local) == origin.sha256:
        upload(destination, local, s3, progress)
        action = "uploaded"
    else:
        env = source.environment.name
        raise FraudspecError(f"{env}'s {origin.kind} (sha256 {origin.short_digest}) is neither at {origin.uri} "
                             f"nor in build/{env}/",
                             hint=f"deploy {env} first (`fraudspec apply --env {env}`), or rebuild it "
                                  f"(`fraudspec build --env {env}`)")
    verify(destination, s3)
    return action


def _require_same_parts(source: Spec, target: Spec, inputs: tuple[SpecInputs, SpecInputs]) -> None:
    """The target's spec must describe the source's artifacts: same model, data and monitoring thresholds."""
    src, dst = source.environment.name, target.environment.name
    before, after = inputs[0].parts, inputs[1].parts
    found = differences({"model": before["model"], "monitoring": before["constraints"]["monitoring"]},
                        {"model": after["model"], "monitoring": after["constraints"]["monitoring"]}, by_name=True)
    if found:
        listed = "; ".join(f"{path} ({src} {show(old)}, {dst} {show(new)})" for path, old, new in found)
        raise FraudspecError(f"{dst}'s spec asks for other artifacts than {src}'s: {listed}",
                             hint=f"promote moves {src}'s artifacts unchanged: give {dst} the same values (drop its "
                                  f"override), or build {dst}'s own (`fraudspec build --env {dst}`)")
