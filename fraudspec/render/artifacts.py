"""The artifacts an environment deploys, each with its sha256 and content-addressed S3 location.

`artifacts_from_lock` is the one place digests come from: the environment's entry in the lock
file (fraudspec.lock). Rendering therefore needs neither build/ nor the network; everything
downstream only sees the typed `Artifacts`.
"""

from __future__ import annotations

from dataclasses import dataclass

from fraudspec.core.errors import FraudspecError
from fraudspec.lock.file import lock_name
from fraudspec.lock.layout import LAYOUT, Artifact, Kind, locate
from fraudspec.lock.model import Lock
from fraudspec.spec.model import Spec


@dataclass(frozen=True)
class Artifacts:
    model: Artifact
    statistics: Artifact
    constraints: Artifact
    monitor_lambda: Artifact | None  # only for the fraudspec monitoring engine

    def all(self) -> tuple[Artifact, ...]:
        found = (self.model, self.statistics, self.constraints, self.monitor_lambda)
        return tuple(artifact for artifact in found if artifact is not None)


def needs_monitor_lambda(spec: Spec) -> bool:
    return spec.monitoring.enabled and spec.monitoring.engine == "fraudspec"


def needed_kinds(spec: Spec) -> tuple[Kind, ...]:
    kinds: tuple[Kind, ...] = ("model", "statistics", "constraints")
    return (*kinds, "monitor_lambda") if needs_monitor_lambda(spec) else kinds


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
    located = {}
    for kind in needed_kinds(spec):
        locked = entry.artifacts.get(kind)
        if locked is None:
            raise FraudspecError(f"{lock_file} locks no {kind} for environment '{env}'",
                                 hint=f"run `fraudspec {LAYOUT[kind].command} --env {env}`")
        located[kind] = locate(spec.name, bucket, kind, locked.sha256)
    return Artifacts(located["model"], located["statistics"], located["constraints"], located.get("monitor_lambda"))
