"""The monitoring Lambda's zip: byte-for-byte reproducible, so its sha256 (and S3 key) only change
when its content does.

Contents: the fraudspec modules the handler imports (found by reading import statements, the
handler's closure only) and numpy and pyarrow (the monitoring engine's capture and CSV readers) for
the Lambda runtime (python3.12, x86_64), fetched once with `pip download` into a cache under build/.
Unzipped they take about 230 MB of the 250 MB a function deployed from S3 may hold. The runtime
itself provides boto3. Entries are sorted, timestamped 1980-01-01 and given fixed permissions.
"""

from __future__ import annotations

import ast
import io
import subprocess
import sys
import zipfile
from collections.abc import Iterable
from pathlib import Path

import fraudspec
from fraudspec.core.errors import FraudspecError
from fraudspec.core.files import write_atomic
from fraudspec.spec.model import Spec
from fraudspec.spec.workspace import wheel_cache

ENTRY_MODULE = "fraudspec.monitoring.jobs.lambda_entry"
PYTHON_VERSION = "3.12"
# python3.12 runs on Amazon Linux 2023 (glibc 2.34): both manylinux tags load there.
PLATFORMS = ("manylinux2014_x86_64", "manylinux_2_28_x86_64")
REQUIREMENTS = ("numpy==2.4.6", "pyarrow==26.0.1")
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold
PACKAGE_ROOT = Path(fraudspec.__file__).resolve().parent.parent


def build(spec: Spec) -> Path:
    """Write build/<env>/lambda/monitor.zip; returns its path."""
    wheels = fetch_wheels(wheel_cache(spec.root))
    output = spec.workspace.monitor_lambda
    write_zip(output, [*module_entries(ENTRY_MODULE), *wheel_entries(wheels)])
    return output


def fetch_wheels(cache: Path, requirements: Iterable[str] = REQUIREMENTS) -> list[Path]:
    """One cached wheel per pinned requirement, downloaded only when the cache lacks it."""
    wheels = []
    for requirement in requirements:
        name, version = requirement.split("==")
        found = _cached(cache, name, version)
        if found is None:
            _download(requirement, cache)
            found = _cached(cache, name, version)
            if found is None:
                raise FraudspecError(f"pip downloaded no python{PYTHON_VERSION} x86_64 wheel for {requirement}")
        wheels.append(found)
    return wheels


def _cached(cache: Path, name: str, version: str) -> Path | None:
    tag = "cp" + PYTHON_VERSION.replace(".", "")
    matches = sorted(path for path in cache.glob(f"{name}-{version}-{tag}-*.whl") if "x86_64" in path.name)
    return matches[0] if matches else None


def _download(requirement: str, cache: Path) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
               "--python-version", PYTHON_VERSION, "--implementation", "cp", "--dest", str(cache)]
    for platform in PLATFORMS:
        command += ["--platform", platform]
    result = subprocess.run([*command, requirement], capture_output=True, text=True)
    if result.returncode != 0:
        raise FraudspecError(f"cannot download {requirement} for the Lambda runtime:\n{result.stderr.strip()}",
                             hint=f"check network access to the package index, or put the wheel in {cache}")


Entry = tuple[str, bytes, int]  # archive name, content, unix permissions


def module_entries(entry_module: str, root: Path = PACKAGE_ROOT) -> list[Entry]:
    """The entry module and every fraudspec module it imports, transitively, with their packages'
    __init__.py files."""
    seen: set[Path] = set()
    pending = [entry_module]
    while pending:
        path = _module_file(pending.pop(), root)
        if path is None or path in seen:
            continue
        seen.add(path)
        pending += _imports(path, root)
    files = set(seen)
    for path in seen:
        for parent in path.relative_to(root).parents:
            init = root / parent / "__init__.py"
            if parent != Path(".") and init.is_file():
                files.add(init)
    return [(path.relative_to(root).as_posix(), path.read_bytes(), 0o644) for path in sorted(files)]


def _module_file(name: str, root: Path) -> Path | None:
    base = root.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imports(path: Path, root: Path) -> list[str]:
    """fraudspec modules named by any import statement in `path`, including inside functions."""
    package = ".".join(path.relative_to(root).parent.parts)  # what relative imports start from
    names = []
    for node in ast.walk(ast.parse(path.read_bytes(), filename=str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names.append(base)
            names += [f"{base}.{alias.name}" for alias in node.names]  # submodules imported by name
    return [name for name in names if name == "fraudspec" or name.startswith("fraudspec.")]


def wheel_entries(wheels: Iterable[Path]) -> list[Entry]:
    entries = []
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as archive:
            for info in archive.infolist():
                if info.is_dir() or "__pycache__/" in info.filename:
                    continue
                executable = (info.external_attr >> 16) & 0o111
                entries.append((info.filename, archive.read(info), 0o755 if executable else 0o644))
    return entries


def write_zip(output: Path, entries: Iterable[Entry]) -> None:
    """Sorted entries, fixed times and permissions, written atomically."""
    ordered = sorted(entries)
    names = [name for name, _, _ in ordered]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise FraudspecError(f"the package would contain {', '.join(duplicates)} twice")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content, mode in ordered:
            info = zipfile.ZipInfo(name, ZIP_EPOCH)
            info.external_attr = (0o100000 | mode) << 16  # a regular file with these permissions
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content, compresslevel=6)
    write_atomic(output, buffer.getvalue())
