"""A spec's files as they are at a git ref, exported into a directory (the repository is untouched)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

import yaml

from fraudspec.core.errors import FraudspecError

DEFAULT_REFS = ("origin/main", "HEAD")


def repo_root(path: Path) -> Path:
    result = _git(path, "rev-parse", "--show-toplevel", check=False)
    if result.returncode != 0:
        raise FraudspecError(f"{path} is not inside a git repository",
                             hint="fraudspec diff compares with a git ref: run it inside the repository")
    return Path(result.stdout.decode().strip()).resolve()


def default_ref(root: Path) -> str:
    """origin/main when it exists, else HEAD."""
    return next((ref for ref in DEFAULT_REFS if _exists(root, ref)), DEFAULT_REFS[-1])


def require_ref(root: Path, ref: str) -> None:
    if not _exists(root, ref):
        raise FraudspecError(f"unknown git ref '{ref}'",
                             hint="name a branch, tag or commit; in CI fetch the base first (actions/checkout "
                                  "with fetch-depth: 0)")


def export(root: Path, ref: str, paths: Iterable[PurePosixPath], destination: Path) -> list[PurePosixPath]:
    """Write the files under `paths` (repository-relative) as they are at `ref`; returns those that exist."""
    listed = _git(root, "ls-tree", "-r", "-z", "--name-only", ref, "--", *map(str, paths)).stdout.decode()
    files = [PurePosixPath(name) for name in listed.split("\0") if name]
    for name in files:
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(_git(root, "show", f"{ref}:{name}").stdout)
    return files


def csv_paths(spec_file: Path) -> list[Path]:
    """Training-data CSVs a spec names (base and overrides), relative to its directory."""
    try:
        document = yaml.safe_load(spec_file.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        return []  # loading the spec reports it properly
    if not isinstance(document, dict):
        return []
    models = [document.get("model")]
    environments = document.get("environments")
    if isinstance(environments, dict):
        models += [(env.get("overrides") or {}).get("model") for env in environments.values() if isinstance(env, dict)]
    found = []
    for model in models:
        data = model.get("data") if isinstance(model, dict) else None
        if isinstance(data, dict) and isinstance(data.get("csv"), str):
            found.append(Path(data["csv"]))
    return found


def _exists(root: Path, ref: str) -> bool:
    return _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False).returncode == 0


def _git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True)
    except FileNotFoundError:
        raise FraudspecError("git is not installed", hint="fraudspec diff needs git on PATH") from None
    if check and result.returncode != 0:
        raise FraudspecError(f"`git {' '.join(args)}` failed: {result.stderr.decode().strip()}")
    return result
