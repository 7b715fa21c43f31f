"""The lock's content, typed: environments -> entries -> artifacts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TypeVar

from fraudspec.lock.layout import Kind

K = TypeVar("K")
V = TypeVar("V")


def frozen(items: Mapping[K, V] | None = None) -> Mapping[K, V]:
    """A read-only copy (spec.model.frozen_map, typed by its keys and values)."""
    return MappingProxyType(dict(items or {}))


@dataclass(frozen=True)
class LockedArtifact:
    sha256: str  # of the file's bytes
    uri: str  # where it lives: s3://bucket/fraudspec/{name}/{folder}/sha256/{sha256}/{file}
    # sha256 of the effective spec's parts it was built from (fraudspec.lock.inputs); None for an
    # artifact that no spec field shapes (the monitoring Lambda: fraudspec's own code).
    spec_sha256: str | None = None


@dataclass(frozen=True)
class LockEntry:
    artifacts: Mapping[Kind, LockedArtifact] = field(default_factory=frozen)
    # The environment whose artifacts these are when they were promoted rather than built here.
    promoted_from: str | None = None
    # Each challenger variant's own artifacts (model, statistics, constraints), by variant name;
    # `artifacts` are the champion's and the environment's (the monitoring job).
    variants: Mapping[str, Mapping[Kind, LockedArtifact]] = field(default_factory=frozen)


@dataclass(frozen=True)
class Lock:
    environments: Mapping[str, LockEntry] = field(default_factory=frozen)

    def entry(self, env: str) -> LockEntry | None:
        return self.environments.get(env)

    def with_entry(self, env: str, entry: LockEntry) -> Lock:
        return replace(self, environments=frozen({**self.environments, env: entry}))
