"""One environment as a reviewer sees it: its effective spec, lock entry and Terraform resources."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fraudspec.lock.file import lock_path, read_lock
from fraudspec.lock.inputs import spec_parts
from fraudspec.lock.model import LockEntry
from fraudspec.render import PROVIDERS, RESOURCES, VERSIONS
from fraudspec.review.variants import plain_challengers
from fraudspec.spec.load import load_environments, load_spec
from fraudspec.spec.model import CsvData, Spec
from fraudspec.spec.plain import to_plain
from fraudspec.spec.yaml_source import read_source


@dataclass(frozen=True)
class EnvState:
    spec: Spec
    entry: LockEntry | None
    terraform: Mapping[str, Any]  # address ("aws_x.name", "data.aws_x.name", "output.name", ...) -> body

    def plain_spec(self) -> dict[str, Any]:
        """The effective spec, independent of where the repository is checked out."""
        plain = to_plain(self.spec)
        del plain["path"], plain["environments"]  # where it is checked out; which others exist
        data = self.spec.model.data
        if isinstance(data, CsvData):
            relative = data.path.relative_to(self.spec.root) if data.path.is_relative_to(self.spec.root) else data.path
            plain["model"]["data"] = {"csv": relative.as_posix(), **spec_parts(self.spec)["model"]["data"]}
        plain["endpoint"]["challengers"] = plain_challengers(self.spec)
        return plain


def load_states(spec_path: Path, env: str | None = None) -> dict[str, EnvState]:
    """The aws environments of the spec at `spec_path` (or just `env`, any target); {} without a spec."""
    if not spec_path.is_file():
        return {}
    if env is None:  # one read of the file for every environment
        specs = {name: spec for name, spec in load_environments(spec_path).items() if spec.environment.target == "aws"}
    elif env in (read_source(spec_path).data.get("environments") or {}):
        specs = {env: load_spec(spec_path, env)}
    else:
        return {}
    lock = read_lock(lock_path(spec_path))
    return {name: EnvState(spec, lock.entry(name), terraform_resources(read_terraform(spec.terraform_dir)))
            for name, spec in specs.items()}


def read_terraform(directory: Path) -> dict[str, str]:
    """fraudspec's own files in `directory` (never the user's *.tf beside them)."""
    return {name: (directory / name).read_text(encoding="utf-8")
            for name in (VERSIONS, PROVIDERS, RESOURCES) if (directory / name).is_file()}


def terraform_resources(files: Mapping[str, str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name in sorted(files):
        document = json.loads(files[name])
        for block, body in document.items():
            if block in ("resource", "data"):
                prefix = "data." if block == "data" else ""
                for kind, named in body.items():
                    for label, item in named.items():
                        found[f"{prefix}{kind}.{label}"] = item
            elif block in ("variable", "output", "locals"):
                short = {"variable": "var", "output": "output", "locals": "local"}[block]
                for label, item in body.items():
                    found[f"{short}.{label}"] = item
            elif block == "provider":
                for label, item in body.items():
                    found[f"provider.{label}"] = item
            elif block == "terraform":
                found["terraform"] = body
    return found
