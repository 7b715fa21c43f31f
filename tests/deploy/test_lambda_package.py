"""The monitoring Lambda zip: reproducible bytes, the handler's import closure, the wheels."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import numpy
import pytest
from deploy_support import fake_lambda_wheels

from fraudspec.core.errors import FraudspecError
from fraudspec.deploy import lambda_package
from fraudspec.deploy.lambda_package import ENTRY_MODULE, module_entries, wheel_entries, write_zip


def test_the_same_inputs_give_the_same_bytes(tmp_path: Path) -> None:
    fake_lambda_wheels(tmp_path / "wheels")
    wheels = lambda_package.fetch_wheels(tmp_path / "wheels")
    entries = [*module_entries(ENTRY_MODULE), *wheel_entries(wheels)]
    write_zip(tmp_path / "a.zip", entries)
    write_zip(tmp_path / "b.zip", list(reversed(entries)))
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "a.zip") as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {i.external_attr >> 16 for i in infos} == {0o100644}
    assert "numpy/__init__.py" in {i.filename for i in infos}


def test_the_closure_is_the_handler_and_what_it_imports() -> None:
    names = {name for name, _, _ in module_entries(ENTRY_MODULE)}
    assert {"fraudspec/__init__.py", "fraudspec/monitoring/jobs/lambda_entry.py",
            "fraudspec/monitoring/jobs/settings.py", "fraudspec/monitoring/engine/execution.py",
            "fraudspec/monitoring/records/sources.py", "fraudspec/core/errors.py"} <= names
    assert not any(name.startswith(("fraudspec/render/", "fraudspec/cli/", "fraudspec/artifact/")) for name in names)
    assert "fraudspec/deploy/aws.py" not in names


def test_the_handler_imports_from_the_zip_alone(tmp_path: Path) -> None:
    """No site-packages but the wheels' (numpy's and pyarrow's): anything missing from the closure fails the import."""
    write_zip(tmp_path / "monitor.zip", module_entries(ENTRY_MODULE))
    with zipfile.ZipFile(tmp_path / "monitor.zip") as archive:
        archive.extractall(tmp_path / "task")
    numpy_home = Path(numpy.__file__).parent.parent
    probe = (
        "import sys; sys.path[:0] = [sys.argv[1], sys.argv[2]]\n"
        f"import {ENTRY_MODULE} as h\n"
        "assert h.__file__.startswith(sys.argv[1]), h.__file__\n"
        "assert not any(m.startswith(('fraudspec.render', 'fraudspec.cli')) for m in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-S", "-I", "-c", probe, str(tmp_path / "task"), str(numpy_home)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_duplicate_entries_are_refused(tmp_path: Path) -> None:
    with pytest.raises(FraudspecError, match=r"numpy/__init__\.py twice"):
        write_zip(tmp_path / "x.zip", [("numpy/__init__.py", b"", 0o644), ("numpy/__init__.py", b"x", 0o644)])


def test_cached_wheels_are_not_downloaded_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_lambda_wheels(tmp_path)
    monkeypatch.setattr(lambda_package, "_download", lambda *args: pytest.fail("downloaded a cached wheel"))
    assert [w.name.split("-")[0] for w in lambda_package.fetch_wheels(tmp_path)] == ["numpy", "pyarrow"]
