"""`fraudspec promote --from dev --to staging`: staging gets exactly dev's locked artifacts.

Nothing is built: the source's lock entry must be fresh against its spec, and the target's spec
must ask for the same artifacts (the same spec parts, fraudspec.lock.inputs), or promoting would
deploy something the target's spec does not describe. Each artifact ends up at its content-
addressed key in the target's bucket, copied server-side from the source's bucket when it is
there (or uploaded from build/<from>/), and verified by hashing what S3 then holds. Finally the
target's lock entry names the same digests with `promoted_from`.

Challengers move with the champion: the target's spec must have the same challengers built from the
same parts, and each one's model and baseline (the source entry's `variants`) are placed like the
champion's, then locked under the target's `variants`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from fraudspec.core.errors import FraudspecError
from fraudspec.core.plain_diff import differences, show
from fraudspec.deploy.publish import copy, existing_sha256, upload, verify
from fraudspec.lock.file import lock_path, update_lock
from fraudspec.lock.inputs import Digests, SpecInputs, spec_digests, spec_inputs
from fraudspec.lock.layout import LAYOUT, VARIANT_KINDS, Artifact, Kind, locate, sha256_file
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
    variant: str | None = None  # a challenger's artifact; None: the champion's or the environment's


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
    src = source.environment.name
    artifacts_from_lock(source, lock)  # names the missing step when the source has nothing locked
    entry = lock.environments[src]
    require_fresh(source, entry, inputs[0].digests)
    _require_same_parts(source, target, inputs)
    moved: list[Moved] = []
    artifacts = _moved(source, target, entry.artifacts, needed_kinds(target), inputs[1].digests, moved, s3, progress)
    variants = {}
    for view in target.variant_specs[1:]:
        name = view.variant.name
        variants[name] = _moved(source.for_variant(name), view, entry.variants.get(name, {}), VARIANT_KINDS,
                                spec_digests(view), moved, s3, progress)
    return LockEntry(artifacts, promoted_from=src, variants=frozen(variants)), tuple(moved)


def _moved(source: Spec, target: Spec, locked_artifacts: Mapping[Kind, LockedArtifact], kinds: tuple[Kind, ...],
           digests: Digests, moved: list[Moved], s3: Any, progress: bool) -> Mapping[Kind, LockedArtifact]:
    """Place one variant's artifacts of `kinds` in the target's bucket (appending to `moved`); their lock entries."""
    src, dst = source.environment.name, target.environment.name
    whose = "" if source.challenger is None else f" for challenger {source.challenger}"
    bucket, artifacts = require_bucket(target), {}
    for kind in kinds:
        locked = locked_artifacts.get(kind)
        if locked is None:
            raise FraudspecError(f"{src} has no {kind} locked{whose}, and {dst} needs one",
                                 hint=f"run `fraudspec {LAYOUT[kind].command} --env {src}` first")
        origin = locate(source.name, require_bucket(source), kind, locked.sha256)
        destination = locate(target.name, bucket, kind, locked.sha256)
        moved.append(Moved(destination, _place(source, origin, destination, s3, progress), target.challenger))
        artifacts[kind] = LockedArtifact(locked.sha256, destination.uri, digests[kind])
    return frozen(artifacts)


def _place(source: Spec, origin: Artifact, destination: Artifact, s3: Any, progress: bool) -> Action:
    """Make `destination` hold the artifact (from `source`'s variant's build folder if need be), then verify it."""
    local = source.workspace.own / LAYOUT[origin.kind].build_path
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
    """The target's spec must describe the source's artifacts: same model, data and monitoring thresholds,
    and the same challengers with the same models."""
    src, dst = source.environment.name, target.environment.name
    before, after = inputs[0].parts, inputs[1].parts
    found = differences(_described(source, before), _described(target, after), by_name=True)
    if found:
        listed = "; ".join(f"{path} ({src} {show(old)}, {dst} {show(new)})" for path, old, new in found)
        raise FraudspecError(f"{dst}'s spec asks for other artifacts than {src}'s: {listed}",
                             hint=f"promote moves {src}'s artifacts unchanged: give {dst} the same values (drop its "
                                  f"override), or build {dst}'s own (`fraudspec build --env {dst}`)")


def _described(spec: Spec, parts: Mapping[Kind, Any]) -> dict[str, Any]:
    """What promotion must find equal in both specs: every variant's model, and the monitoring thresholds."""
    challengers = {view.variant.name: spec_inputs(view).parts["model"] for view in spec.variant_specs[1:]}
    described = {"model": parts["model"], "monitoring": parts["constraints"]["monitoring"]}
    return {**described, "challengers": challengers} if challengers else described
