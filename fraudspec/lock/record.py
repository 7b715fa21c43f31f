"""Locking what `fraudspec build` / `fraudspec baseline` just wrote under build/<env>/.

A spec with challengers locks each challenger's own model and baseline (lock.layout.VARIANT_KINDS)
from its view's workspace (`variants/<name>/`), against its view's spec digests, beside the
champion's artifacts.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from fraudspec.core.errors import FraudspecError
from fraudspec.lock.file import lock_path, update_lock
from fraudspec.lock.inputs import spec_digests
from fraudspec.lock.layout import KINDS, LAYOUT, SHORT_DIGEST, VARIANT_KINDS, Kind, locate, sha256_file
from fraudspec.lock.model import Lock, LockedArtifact, LockEntry, frozen
from fraudspec.spec.model import Spec

Artifacts = Mapping[Kind, LockedArtifact]


@dataclass(frozen=True)
class Recorded:
    lock_file: Path
    before: LockEntry | None
    after: LockEntry

    def lines(self) -> list[str]:
        """One line per locked artifact, saying whether the lock changed; challengers' name their variant,
        and a challenger the spec no longer has is said to be dropped."""
        where = os.path.relpath(self.lock_file)
        lines = _lines(self.before.artifacts if self.before else {}, self.after.artifacts, f"in {where}")
        old_variants = self.before.variants if self.before else {}
        for name, artifacts in self.after.variants.items():
            lines += _lines(old_variants.get(name, {}), artifacts, f"for challenger {name} in {where}")
        lines += [f"dropped challenger {name} (no longer in the spec) from {where}"
                  for name in old_variants if name not in self.after.variants]
        return lines


def _lines(old: Artifacts, new: Artifacts, suffix: str) -> list[str]:
    lines = []
    for kind, locked in new.items():
        previous = old.get(kind)
        said = ("unchanged" if previous == locked else "new" if previous is None
                else f"was sha256:{previous.sha256[:SHORT_DIGEST]}")
        lines.append(f"locked {kind:<14} sha256:{locked.sha256[:SHORT_DIGEST]} ({said}) {suffix}")
    return lines


def record_built(spec: Spec, kinds: Iterable[Kind], *, whole_entry: bool) -> Recorded:
    """Lock build/<env>/'s files of `kinds` for the spec's environment, and each challenger's of those kinds.

    whole_entry: the entry becomes exactly these artifacts (a full build); otherwise they replace
    their kinds in the existing entry. Either way the entry is no longer "promoted": it now holds
    artifacts built here, and it holds no challenger the spec does not have.
    """
    env, bucket = spec.environment.name, spec.environment.bucket
    if spec.environment.target != "aws" or not bucket:
        raise FraudspecError(f"environment '{env}' is not an aws environment with a bucket: nothing to lock",
                             hint="the lock records artifacts of aws environments")
    kinds = tuple(kinds)
    built = _built(spec, kinds, spec.workspace.root, bucket)
    built_variants = {view.variant.name: _built(view, tuple(k for k in kinds if k in VARIANT_KINDS),
                                                view.workspace.own, bucket)
                      for view in spec.variant_specs[1:]}
    before: list[LockEntry | None] = []

    def change(lock: Lock) -> Lock:
        old = lock.entry(env)
        before.append(old)
        artifacts = _merged(None if whole_entry or old is None else old.artifacts, built, KINDS)
        variants = {name: _merged(None if whole_entry or old is None else old.variants.get(name), own, VARIANT_KINDS)
                    for name, own in built_variants.items()}
        return lock.with_entry(env, LockEntry(artifacts, variants=frozen(variants)))

    path = lock_path(spec.path)
    after = update_lock(path, change).entry(env)
    assert after is not None
    return Recorded(path, before[0], after)


def _built(spec: Spec, kinds: tuple[Kind, ...], folder: Path, bucket: str) -> dict[Kind, LockedArtifact]:
    """The files of `kinds` under `folder`, located in `bucket`, with the digests of `spec`'s parts."""
    digests = spec_digests(spec)
    built = {}
    for kind in kinds:
        sha256 = sha256_file(folder / LAYOUT[kind].build_path)
        built[kind] = LockedArtifact(sha256, locate(spec.name, bucket, kind, sha256).uri, digests[kind])
    return built


def _merged(old: Artifacts | None, built: Artifacts, order: tuple[Kind, ...]) -> Artifacts:
    artifacts = {**(old or {}), **built}
    return frozen({kind: artifacts[kind] for kind in order if kind in artifacts})
