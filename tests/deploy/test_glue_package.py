"""The Glue job's zip: reproducible bytes, the Glue entry's pure-Python import closure, importable
with nothing but the zip (as --extra-py-files puts it on sys.path) and numpy/pyarrow (Glue's own)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import numpy

from fraudspec.deploy import glue_package
from fraudspec.deploy.glue_package import ENTRY_MODULE
from fraudspec.spec.load import load_spec

SPEC = (Path(__file__).parent / "specs" / "emulator.yaml").read_text().replace(
    "  schedule: hourly\n", "  schedule: hourly\n  runner: glue\n")


def _spec(root: Path):
    (root / "specs").mkdir(parents=True)
    (root / "specs" / "fraud-detection.yaml").write_text(SPEC)
    return load_spec(root / "specs" / "fraud-detection.yaml", "emu")


def test_rebuilding_gives_the_same_bytes(tmp_path: Path) -> None:
    spec = _spec(tmp_path)
    path = glue_package.build(spec)
    assert path == tmp_path / "build" / "fraud-detection" / "emu" / "glue" / "monitor.zip"
    first = path.read_bytes()
    path.unlink()
    assert glue_package.build(spec).read_bytes() == first
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_the_zip_is_the_entrys_pure_python_closure(tmp_path: Path) -> None:
    with zipfile.ZipFile(glue_package.build(_spec(tmp_path))) as archive:
        names = set(archive.namelist())
    assert {"fraudspec/__init__.py", "fraudspec/monitoring/jobs/glue_entry.py",
            "fraudspec/monitoring/jobs/lambda_entry.py", "fraudspec/monitoring/jobs/spark.py",
            "fraudspec/monitoring/engine/partial.py", "fraudspec/monitoring/quality/execution.py"} <= names
    assert all(name.startswith("fraudspec/") and name.endswith(".py") for name in names)  # no wheels, no .so
    assert not any(name.startswith(("fraudspec/render/", "fraudspec/cli/", "fraudspec/deploy/")) for name in names)


def test_the_entry_imports_from_the_zip_alone(tmp_path: Path) -> None:
    """No site-packages but numpy's and pyarrow's (the virtualenv's, standing in for Glue's): a module
    missing from the closure fails the import. The zip itself goes on sys.path, as Glue puts it."""
    package = glue_package.build(_spec(tmp_path))
    site = Path(numpy.__file__).parent.parent
    probe = (
        "import sys; sys.path[:0] = [sys.argv[1], sys.argv[2]]\n"
        f"import {ENTRY_MODULE} as entry\n"
        "assert entry.__file__.startswith(sys.argv[1]), entry.__file__\n"
        "import fraudspec.monitoring.jobs.spark\n"
        "assert not any(m.startswith(('fraudspec.render', 'fraudspec.cli', 'fraudspec.deploy')) for m in sys.modules)\n"
        "assert 'boto3' not in sys.modules and 'pyspark' not in sys.modules  # imported by main, on Glue\n"
    )
    result = subprocess.run([sys.executable, "-S", "-I", "-c", probe, str(package), str(site)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
