"""Locking what `fraudspec build` / `fraudspec baseline` just wrote under build/<env>/."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from fraudspec.core.errors import FraudspecError
from fraudspec.lock.file import lock_path, update_lock
from fraudspec.lock.inputs import spec_digests
from fraudspec.lock.layout import KINDS, LAYOUT, SHORT_DIGEST, Kind, locate, sha256_file
from fraudspec.lock.model import Lock, LockedArtifact, LockEntry, frozen
from fraudspec.spec.model import Spec


@dataclass(frozen=True)
class Recorded:
    lock_file: Path
    before: LockEntry | None
    after: LockEntry

    def lines(self) -> list[str]:
        """One line per locked artifact, saying whether the lock changed."""
        where = os.path.relpath(self.lock_file)
        old = self.before.artifacts if self.before else {}
        lines = []
        for kind, locked in self.after.artifacts.items():
            previous = old.get(kind)
            said = ("unchanged" if previous == locked else "new" if previous is None
                    else f"was sha256:{previous.sha256[:SHORT_DIGEST]}")
            lines.append(f"locked {kind:<14} sha256:{locked.sha256[:SHORT_DIGEST]} ({said}) in {where}")
        return lines


def record_built(spec: Spec, kinds: Iterable[Kind], *, whole_entry: bool) -> Recorded:
    """Lock build/<env>/'s files of `kinds` for the spec's environment.

    whole_entry: the entry becomes exactly these artifacts (a full build); otherwise they replace
    their kinds in the existing entry. Either way the entry is no longer "promoted": it now holds
    artifacts built here.
    """
    env, bucket = spec.environment.name, spec.environment.bucket
    if spec.environment.target != "aws" or not bucket:
        raise FraudspecError(f"environment '{env}' is not an aws environment with a bucket: nothing to lock",
                             hint="the lock records artifacts of aws environments")
    digests = spec_digests(spec)
    built = {}
    for kind in kinds:
        path = spec.workspace.root / LAYOUT[kind].build_path
        sha256 = sha256_file(path)
        built[kind] = LockedArtifact(sha256, locate(spec.name, bucket, kind, sha256).uri, digests[kind])
    before: list[LockEntry | None] = []

    def change(lock: Lock) -> Lock:
        old = lock.entry(env)
        before.append(old)
        artifacts = {} if whole_entry or old is None else dict(old.artifacts)
        artifacts.update(built)
        ordered = {kind: artifacts[kind] for kind in KINDS if kind in artifacts}
        return lock.with_entry(env, LockEntry(frozen(ordered)))

    path = lock_path(spec.path)
    after = update_lock(path, change).entry(env)
    assert after is not None
    return Recorded(path, before[0], after)
