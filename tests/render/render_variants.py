"""The golden variants: a spec file each, rendered from a lock of fixture artifacts of known content.

Shared by the tests and by `update_goldens.py`, so both render exactly the same thing.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from fraudspec.lock.file import lock_path, read_lock
from fraudspec.lock.layout import LAYOUT, VARIANT_KINDS, Kind
from fraudspec.lock.record import record_built
from fraudspec.render import render
from fraudspec.render.artifacts import artifacts_from_lock, needed_kinds
from fraudspec.spec.load import load_spec
from fraudspec.spec.model import Spec

HERE = Path(__file__).parent
SPECS = HERE / "specs"
GOLDEN = HERE / "golden"
# Artifacts with fixed bytes, so goldens never depend on training or on the Lambda's wheels.
FIXTURE_ARTIFACTS: dict[Kind, bytes] = {
    "model": b"fixture model.tar.gz\n",
    "statistics": b'{"version": 0.0, "dataset": {"item_count": 0}, "features": []}\n',
    "constraints": b'{"version": 0.0, "features": []}\n',
    "monitor_lambda": b"fixture monitor.zip\n",
    "monitor_glue": b"fixture glue monitor.zip\n",
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
    Variant("firehose", "firehose.yaml", "volume"),
    Variant("challengers", "challengers.yaml", "prod"),
    Variant("glue", "glue.yaml", "prod"),
)


def make_project(root: Path, spec_file: Path, env: str) -> Spec:
    """A project under `root`: the spec in specs/ and its lock, locking fixture artifacts for `env`.

    The fixture files are locked the way `fraudspec build` locks real ones, then build/ is removed:
    rendering must need nothing but the spec and the lock.
    """
    (root / "specs").mkdir(parents=True, exist_ok=True)
    target = root / "specs" / spec_file.name
    shutil.copyfile(spec_file, target)
    spec = load_spec(target, env)
    for kind in needed_kinds(spec):
        _write_fixture(spec.workspace.root / LAYOUT[kind].build_path, FIXTURE_ARTIFACTS[kind])
    for view in spec.variant_specs[1:]:
        # A challenger's fixture bytes carry its name: its model differs from the champion's, as a built one would.
        for kind in VARIANT_KINDS:
            _write_fixture(view.workspace.own / LAYOUT[kind].build_path,
                           FIXTURE_ARTIFACTS[kind] + view.variant.name.encode())
    record_built(spec, needed_kinds(spec), whole_entry=True)
    shutil.rmtree(root / "build")
    return spec


def _write_fixture(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def render_spec(spec: Spec) -> dict[str, str]:
    return render(spec, artifacts_from_lock(spec, read_lock(lock_path(spec.path))))


def render_variant(variant: Variant, root: Path) -> dict[str, str]:
    return render_spec(make_project(root, SPECS / variant.spec_file, variant.env))
