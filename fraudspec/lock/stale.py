"""An environment's lock entry against its current spec: which artifacts are stale, and the fix.

Stale means the spec parts an artifact is built from (fraudspec.lock.inputs) changed since it was
locked, or the spec now places it elsewhere (another bucket or name). An entry built for its own
environment that is stale is simply behind: rebuild. An entry promoted from another environment
pins that environment's artifacts until the next promotion, so a spec ahead of it is expected
until then; `render` only warns about it, `apply` refuses both.

Each challenger's artifacts are checked against its own view's digests (Spec.for_variant), and a
challenger locked but no longer in the spec is stale too: its lock entry describes another endpoint.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from fraudspec.core.errors import FraudspecError
from fraudspec.lock.file import lock_name
from fraudspec.lock.inputs import Digests, spec_digests
from fraudspec.lock.layout import KINDS, VARIANT_KINDS, Kind, locate
from fraudspec.lock.model import LockedArtifact, LockEntry
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
    variant: str | None = None  # a challenger's artifact; None: the champion's or the environment's

    def __str__(self) -> str:
        of = "" if self.variant is None else f" of challenger {self.variant}"
        return f"{self.kind}{of} ({self.reason})"


def stale_artifacts(spec: Spec, entry: LockEntry, digests: Digests | None = None) -> tuple[Stale, ...]:
    """`digests`: the spec's (fraudspec.lock.inputs.spec_digests), when the caller computed them already."""
    digests = spec_digests(spec) if digests is None else digests
    found = _stale(spec, entry.artifacts, KINDS, digests, None)
    for view in spec.variant_specs[1:]:
        name = view.variant.name
        found += _stale(view, entry.variants.get(name, {}), VARIANT_KINDS, spec_digests(view), name)
    found += [Stale(kind, "the spec no longer has this challenger", name)
              for name, artifacts in entry.variants.items() if name not in _challengers(spec) for kind in artifacts]
    return tuple(found)


def _challengers(spec: Spec) -> set[str]:
    return {challenger.variant for challenger in spec.endpoint.challengers}


def _stale(spec: Spec, artifacts: Mapping[Kind, LockedArtifact], kinds: tuple[Kind, ...], digests: Digests,
           variant: str | None) -> list[Stale]:
    found = []
    for kind in kinds:
        locked = artifacts.get(kind)
        if locked is None:
            continue  # nothing locked is not stale: artifacts_from_lock names the missing step
        if locked.spec_sha256 != digests[kind]:
            found.append(Stale(kind, REASONS[kind], variant))
        elif spec.environment.bucket:
            expected = locate(spec.name, spec.environment.bucket, kind, locked.sha256).uri
            if locked.uri != expected:
                found.append(Stale(kind, f"locked at {locked.uri}, but the spec puts it at {expected}", variant))
    return found


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
