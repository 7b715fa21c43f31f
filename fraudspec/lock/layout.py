"""The artifacts an environment deploys: where each is built and where it lives in S3.

S3 keys are content-addressed, `fraudspec/{name}/{folder}/sha256/{digest}/{file}`, and do not
name the environment: environments that share a bucket share the object, and an artifact
promoted to another bucket keeps its key.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from fraudspec.spec.workspace import CONSTRAINTS, MODEL_TAR, MONITOR_GLUE, MONITOR_LAMBDA, STATISTICS

Kind = Literal["model", "statistics", "constraints", "monitor_lambda", "monitor_glue"]
KINDS: tuple[Kind, ...] = ("model", "statistics", "constraints", "monitor_lambda", "monitor_glue")
# What each challenger variant has of its own (fraudspec.lock.model.LockEntry.variants).
VARIANT_KINDS: tuple[Kind, ...] = ("model", "statistics", "constraints")
SHORT_DIGEST = 12


@dataclass(frozen=True)
class Layout:
    build_path: Path  # relative to build/<env>/
    folder: str  # the S3 folder of this kind of artifact, below fraudspec/{name}/
    command: str  # the fraudspec command that (re)builds it

    @property
    def filename(self) -> str:
        return self.build_path.name


LAYOUT: dict[Kind, Layout] = {
    "model": Layout(MODEL_TAR, "models", "build"),
    "statistics": Layout(STATISTICS, "baselines", "baseline"),
    "constraints": Layout(CONSTRAINTS, "baselines", "baseline"),
    "monitor_lambda": Layout(MONITOR_LAMBDA, "lambda", "build"),
    "monitor_glue": Layout(MONITOR_GLUE, "glue", "build"),
}


@dataclass(frozen=True)
class Artifact:
    """One artifact of one environment: its digest and content-addressed S3 location."""

    kind: Kind
    sha256: str
    bucket: str
    prefix: str  # the folder of this kind of artifact; versions live below it

    @property
    def filename(self) -> str:
        return LAYOUT[self.kind].filename

    @property
    def key(self) -> str:
        return f"{self.prefix}/sha256/{self.sha256}/{self.filename}"

    @property
    def uri(self) -> str:
        return f"s3://{self.bucket}/{self.key}"

    @property
    def short_digest(self) -> str:
        return self.sha256[:SHORT_DIGEST]


def locate(name: str, bucket: str, kind: Kind, sha256: str) -> Artifact:
    """The artifact of spec `name` with this digest, in `bucket`."""
    return Artifact(kind, sha256, bucket, f"fraudspec/{name}/{LAYOUT[kind].folder}")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
