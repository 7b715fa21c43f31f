"""An environment's lock entry against its current spec: which artifacts are stale, and the fix.

Stale means the spec parts an artifact is built from (fraudspec.lock.inputs) changed since it was
locked, or the spec now places it elsewhere (another bucket or name). An entry built for its own
environment that is stale is simply behind: rebuild. An entry promoted from another environment
pins that environment's artifacts until the next promotion, so a spec ahead of it is expected
until then; `render` only warns about it, `apply` refuses both.
"""

from __future__ import annotations

from dataclasses import dataclass

from fraudspec.core.errors import FraudspecError
from fraudspec.lock.file import lock_name
from fraudspec.lock.inputs import Digests, spec_digests
from fraudspec.lock.layout import KINDS, Kind, locate
from fraudspec.lock.model import LockEntry
from fraudspec.spec.model import Spec

REASONS: dict[Kind, str] = {
    "model": "the model section changed since it was built",
    "statistics": "the training data settings changed since it was profiled",
    "constraints": "the monitoring thresholds or the training data changed since it was written",
    "monitor_lambda": "",  # no spec part: never stale against the spec
    "monitor_glue": "",
}


@dataclass(frozen=True)
class Stale:
    kind: Kind
    reason: str

    def __str__(self) -> str:
        return f"{self.kind} ({self.reason})"


def stale_artifacts(spec: Spec, entry: LockEntry, digests: Digests | None = None) -> tuple[Stale, ...]:
    """`digests`: the spec's (fraudspec.lock.inputs.spec_digests), when the caller computed them already."""
    digests = spec_digests(spec) if digests is None else digests
    found = []
    for kind in KINDS:
        locked = entry.artifacts.get(kind)
        if locked is None:
            continue  # nothing locked is not stale: artifacts_from_lock names the missing step
        if locked.spec_sha256 != digests[kind]:
            found.append(Stale(kind, REASONS[kind]))
        elif spec.environment.bucket:
            expected = locate(spec.name, spec.environment.bucket, kind, locked.sha256).uri
            if locked.uri != expected:
                found.append(Stale(kind, f"locked at {locked.uri}, but the spec puts it at {expected}"))
    return tuple(found)


def stale_message(spec: Spec, stale: tuple[Stale, ...]) -> str:
    return f"the lock is stale for environment '{spec.environment.name}': " + "; ".join(map(str, stale))


def fix_hint(spec: Spec, entry: LockEntry, stale: tuple[Stale, ...]) -> str:
    env = spec.environment.name
    if entry.promoted_from is not None:
        source = entry.promoted_from
        return (f"{env} runs {source}'s artifacts: promote again once {source} is built from the same spec parts "
                f"(`fraudspec promote --from {source} --to {env}`), or build {env}'s own "
                f"(`fraudspec build --env {env}`)")
    command = "baseline" if {s.kind for s in stale} == {"constraints"} else "build"
    return f"run `fraudspec {command} --env {env}`, then review and commit {lock_name(spec)} and terraform/{env}/"


def require_fresh(spec: Spec, entry: LockEntry, digests: Digests | None = None) -> None:
    stale = stale_artifacts(spec, entry, digests)
    if stale:
        raise FraudspecError(stale_message(spec, stale), hint=fix_hint(spec, entry, stale))
