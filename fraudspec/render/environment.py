"""Rendering an aws environment from its spec and the lock: terraform/<env>/ written, or compared.

    rendered             render(spec, its locked artifacts), refusing an entry that is behind its spec
    render_environment   the same, written to terraform/<env>/ (only the files that changed)
    check_environment    a diff from the committed terraform/<env>/ to what would be written
    aws_environments     every aws environment a spec file declares, from one read of it

`fraudspec render` uses these directly; `plan` and `apply` (fraudspec.deploy.aws) render through them.
"""

from __future__ import annotations

import difflib
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from fraudspec.core.errors import FraudspecError
from fraudspec.lock.file import lock_path, read_lock
from fraudspec.lock.inputs import Digests
from fraudspec.lock.model import Lock
from fraudspec.lock.stale import fix_hint, stale_artifacts, stale_message
from fraudspec.render import render, require_aws
from fraudspec.render.artifacts import Artifacts, artifacts_from_lock
from fraudspec.render.files import write
from fraudspec.spec.load import load_environments
from fraudspec.spec.model import Spec

Echo = Callable[[str], None]


def _warn(line: str) -> None:
    print(line, file=sys.stderr)


@dataclass(frozen=True)
class Rendered:
    artifacts: Artifacts
    files: Mapping[str, str]  # file name -> content


def rendered(spec: Spec, lock: Lock | None = None, digests: Digests | None = None, warn: Echo = _warn) -> Rendered:
    """render(spec, its locked artifacts): a pure function of the spec and the lock. The lock is read
    and the spec's digests computed here unless the caller already has them.

    A stale entry built for this environment is refused (the build is behind its spec); a stale
    promoted entry is rendered as locked, with a warning (it waits for the next promotion).
    """
    require_aws(spec)
    lock = lock if lock is not None else read_lock(lock_path(spec.path))
    artifacts = artifacts_from_lock(spec, lock)
    entry = lock.environments[spec.environment.name]
    stale = stale_artifacts(spec, entry, digests)
    if stale and entry.promoted_from is None:
        raise FraudspecError(stale_message(spec, stale), hint=fix_hint(spec, entry, stale))
    if stale:
        warn(f"warning: {stale_message(spec, stale)}\n    hint: {fix_hint(spec, entry, stale)}")
    return Rendered(artifacts, render(spec, artifacts))


def render_environment(spec: Spec, echo: Echo = print, lock: Lock | None = None,
                       digests: Digests | None = None) -> Rendered:
    result = rendered(spec, lock, digests)
    written = write(spec.terraform_dir, result.files)
    where = os.path.relpath(spec.terraform_dir)
    echo(f"rendered {where}/: " + (", ".join(written) + " changed" if written else "unchanged"))
    return result


def check_environment(spec: Spec, lock: Lock | None = None) -> str:
    """A unified diff from the committed terraform/<env>/ to what render writes; "" when up to date."""
    files = rendered(spec, lock).files
    where = os.path.relpath(spec.terraform_dir)
    chunks: list[str] = []
    for name in sorted(files):
        path = spec.terraform_dir / name
        committed = path.read_text(encoding="utf-8") if path.is_file() else ""
        chunks += difflib.unified_diff(committed.splitlines(keepends=True), files[name].splitlines(keepends=True),
                                       fromfile=f"{where}/{name} (committed)", tofile=f"{where}/{name} (rendered)")
    return "".join(chunks)


def aws_environments(spec_path: Path) -> list[Spec]:
    """The effective spec of every aws environment the file declares, in declaration order."""
    found = [spec for spec in load_environments(spec_path).values() if spec.environment.target == "aws"]
    if not found:
        raise FraudspecError(f"{spec_path} declares no aws environment: there is no Terraform to render",
                             hint="add an environment with `target: aws`")
    return found
