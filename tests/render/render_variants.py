"""The golden variants: a spec file each, rendered with fixture artifacts of known content.

Shared by the tests and by `update_goldens.py`, so both render exactly the same thing.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from fraudspec.render import render
from fraudspec.render.artifacts import (
    CONSTRAINTS_FILE,
    MODEL_FILE,
    MONITOR_LAMBDA_FILE,
    STATISTICS_FILE,
    artifacts_from_build,
)
from fraudspec.spec.load import load_spec
from fraudspec.spec.model import Spec

HERE = Path(__file__).parent
SPECS = HERE / "specs"
GOLDEN = HERE / "golden"
# Artifacts with fixed bytes, so goldens never depend on training or on the Lambda's wheels.
FIXTURE_ARTIFACTS = {
    MODEL_FILE: b"fixture model.tar.gz\n",
    STATISTICS_FILE: b'{"version": 0.0, "dataset": {"item_count": 0}, "features": []}\n',
    CONSTRAINTS_FILE: b'{"version": 0.0, "features": []}\n',
    MONITOR_LAMBDA_FILE: b"fixture monitor.zip\n",
}


@dataclass(frozen=True)
class Variant:
    name: str
    spec_file: str
    env: str

    @property
    def golden(self) -> Path:
        return GOLDEN / self.name


VARIANTS = (
    Variant("serverless", "serverless.yaml", "test"),
    Variant("realtime", "realtime.yaml", "prod"),
    Variant("minimal", "minimal.yaml", "dev"),
)


def make_project(root: Path, spec_file: Path, env: str) -> Spec:
    """A project under `root`: the spec in specs/, fixture artifacts in build/<env>/."""
    (root / "specs").mkdir(parents=True, exist_ok=True)
    target = root / "specs" / spec_file.name
    shutil.copyfile(spec_file, target)
    for relative, content in FIXTURE_ARTIFACTS.items():
        path = root / "build" / env / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return load_spec(target, env)


def render_variant(variant: Variant, root: Path) -> dict[str, str]:
    spec = make_project(root, SPECS / variant.spec_file, variant.env)
    return render(spec, artifacts_from_build(spec))
