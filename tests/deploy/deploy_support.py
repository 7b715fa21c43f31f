"""Helpers the deploy tests import by name (fixtures live in conftest.py)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from fraudspec.deploy.lambda_package import PYTHON_VERSION, REQUIREMENTS
from fraudspec.lock.layout import LAYOUT, Kind
from fraudspec.lock.record import record_built
from fraudspec.render.artifacts import needed_kinds
from fraudspec.spec.load import load_spec
from fraudspec.spec.model import Spec

REGION, BUCKET = "us-east-1", "monitoring-bucket"  # the in-process moto account of the `aws` fixture


def fake_lambda_wheels(cache: Path) -> None:
    """Stand-ins for the pinned wheels, so the Lambda zip builds offline and fast."""
    cache.mkdir(parents=True, exist_ok=True)
    tag = "cp" + PYTHON_VERSION.replace(".", "")
    for requirement in REQUIREMENTS:
        name, version = requirement.split("==")
        with zipfile.ZipFile(cache / f"{name}-{version}-{tag}-{tag}-manylinux_2_28_x86_64.whl", "w") as wheel:
            wheel.writestr(f"{name}/__init__.py", f"__version__ = {version!r}\n")
            wheel.writestr(f"{name}-{version}.dist-info/METADATA", f"Name: {name}\nVersion: {version}\n")


FIXTURE_ARTIFACTS: dict[Kind, bytes] = {
    "model": b"fixture model.tar.gz\n",
    "statistics": b"{}\n",
    "constraints": b'{"features": []}\n',
    "monitor_lambda": b"fixture monitor.zip\n",
}


def built_project(root: Path, spec_text: str, env: str) -> Spec:
    """A project whose `env` was "built": fixture files in build/<env>/, locked as `fraudspec build` locks."""
    (root / "specs").mkdir(parents=True, exist_ok=True)
    spec_file = root / "specs" / "fraud-detection.yaml"
    spec_file.write_text(spec_text)
    spec = load_spec(spec_file, env)
    for kind in needed_kinds(spec):
        path = spec.workspace.root / LAYOUT[kind].build_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(FIXTURE_ARTIFACTS[kind])
    record_built(spec, needed_kinds(spec), whole_entry=True)
    return spec
