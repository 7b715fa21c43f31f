"""The files an environment deploys, each with its sha256 and content-addressed S3 location.

`artifacts_from_build` is the one place that decides where digests come from (today: hashing the
files under `spec.build_dir`); everything downstream only sees the typed `Artifacts`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from fraudspec.errors import FraudspecError
from fraudspec.spec.model import Spec

SHORT_DIGEST = 12
MODEL_FILE = Path("model/model.tar.gz")
STATISTICS_FILE = Path("monitoring/statistics.json")
CONSTRAINTS_FILE = Path("monitoring/constraints.json")
MONITOR_LAMBDA_FILE = Path("lambda/monitor.zip")


@dataclass(frozen=True)
class Artifact:
    path: Path
    sha256: str
    bucket: str
    prefix: str  # the folder of this kind of artifact; versions live below it

    @property
    def key(self) -> str:
        return f"{self.prefix}/sha256/{self.sha256}/{self.path.name}"

    @property
    def uri(self) -> str:
        return f"s3://{self.bucket}/{self.key}"

    @property
    def short_digest(self) -> str:
        return self.sha256[:SHORT_DIGEST]


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


def require_bucket(spec: Spec) -> str:
    if not spec.environment.bucket:
        raise FraudspecError(f"environment '{spec.environment.name}' has no bucket",
                             hint="set environments.<env>.bucket: the S3 bucket for artifacts, capture and reports")
    return spec.environment.bucket


def artifacts_from_build(spec: Spec) -> Artifacts:
    """Hash the build outputs of `spec`'s environment; missing files are a user error."""
    bucket = require_bucket(spec)
    env = spec.environment.name

    def artifact(relative: Path, folder: str, command: str) -> Artifact:
        path = spec.build_dir / relative
        if not path.is_file():
            raise FraudspecError(f"{path} does not exist", hint=f"run `fraudspec {command} --env {env}` first")
        return Artifact(path, sha256_file(path), bucket, f"fraudspec/{spec.name}/{folder}")

    monitor_lambda = None
    if needs_monitor_lambda(spec):
        monitor_lambda = artifact(MONITOR_LAMBDA_FILE, "lambda", "render")
    return Artifacts(
        model=artifact(MODEL_FILE, "models", "build"),
        statistics=artifact(STATISTICS_FILE, "baselines", "baseline"),
        constraints=artifact(CONSTRAINTS_FILE, "baselines", "baseline"),
        monitor_lambda=monitor_lambda,
    )


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
