"""The artifacts an environment deploys, each with its sha256 and content-addressed S3 location.

`artifacts_from_lock` is the one place digests come from: the environment's entry in the lock
file (fraudspec.lock). Rendering therefore needs neither build/ nor the network; everything
downstream only sees the typed `Artifacts`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from fraudspec.core.errors import FraudspecError
from fraudspec.lock.file import lock_name
from fraudspec.lock.layout import LAYOUT, VARIANT_KINDS, Artifact, Kind, locate
from fraudspec.lock.model import Lock, LockedArtifact
from fraudspec.spec.model import Spec


@dataclass(frozen=True)
class VariantArtifacts:
    """What one variant serves and is monitored against: its model and its baseline."""

    model: Artifact
    statistics: Artifact
    constraints: Artifact


@dataclass(frozen=True)
class Artifacts:
    model: Artifact
    statistics: Artifact
    constraints: Artifact
    monitor_lambda: Artifact | None  # the fraudspec monitoring engine's job on Lambda (runner lambda)
    monitor_glue: Artifact | None = None  # ... on AWS Glue (runner glue)
    # Each challenger's own, by variant name, in the spec's order (the champion's are above).
    variants: Mapping[str, VariantArtifacts] = field(default_factory=lambda: MappingProxyType({}))

    def all(self) -> tuple[Artifact, ...]:
        found = (self.model, self.statistics, self.constraints, self.monitor_lambda, self.monitor_glue,
                 *(a for v in self.variants.values() for a in (v.model, v.statistics, v.constraints)))
        return tuple(artifact for artifact in found if artifact is not None)

    def of(self, variant: str | None) -> VariantArtifacts:
        """A challenger's artifacts by name; None: the champion's."""
        if variant is None:
            return VariantArtifacts(self.model, self.statistics, self.constraints)
        return self.variants[variant]


def _monitor_kind(spec: Spec) -> Kind | None:
    """The monitoring job's code artifact: the fraudspec engine's, for the runner the spec names."""
    if not (spec.monitoring.enabled and spec.monitoring.engine == "fraudspec"):
        return None
    return "monitor_glue" if spec.monitoring.runner == "glue" else "monitor_lambda"


def needs_monitor_lambda(spec: Spec) -> bool:
    return _monitor_kind(spec) == "monitor_lambda"


def needed_kinds(spec: Spec) -> tuple[Kind, ...]:
    kinds: tuple[Kind, ...] = ("model", "statistics", "constraints")
    job = _monitor_kind(spec)
    return kinds if job is None else (*kinds, job)


def require_bucket(spec: Spec) -> str:
    if not spec.environment.bucket:
        raise FraudspecError(f"environment '{spec.environment.name}' has no bucket",
                             hint="set environments.<env>.bucket: the S3 bucket for artifacts, capture and reports")
    return spec.environment.bucket


def artifacts_from_lock(spec: Spec, lock: Lock) -> Artifacts:
    """The locked artifacts of `spec`'s environment, placed in its bucket; a missing one is a user error."""
    bucket = require_bucket(spec)
    env = spec.environment.name
    lock_file = lock_name(spec)
    entry = lock.entry(env)
    if entry is None:
        raise FraudspecError(f"{lock_file} has no artifacts for environment '{env}'",
                             hint=f"run `fraudspec build --env {env}`, or promote another environment's: "
                                  f"`fraudspec promote --from ENV --to {env}`")

    def located(kinds: tuple[Kind, ...], artifacts: Mapping[Kind, LockedArtifact], what: str) -> dict[Kind, Artifact]:
        found = {}
        for kind in kinds:
            locked = artifacts.get(kind)
            if locked is None:
                raise FraudspecError(f"{lock_file} locks no {kind}{what} for environment '{env}'",
                                     hint=f"run `fraudspec {LAYOUT[kind].command} --env {env}`")
            found[kind] = locate(spec.name, bucket, kind, locked.sha256)
        return found

    own = located(needed_kinds(spec), entry.artifacts, "")
    variants = {}
    for challenger in spec.endpoint.challengers:
        name = challenger.variant
        found = located(VARIANT_KINDS, entry.variants.get(name) or {}, f" of challenger '{name}'")
        variants[name] = VariantArtifacts(found["model"], found["statistics"], found["constraints"])
    return Artifacts(own["model"], own["statistics"], own["constraints"], own.get("monitor_lambda"),
                     own.get("monitor_glue"), MappingProxyType(variants))
