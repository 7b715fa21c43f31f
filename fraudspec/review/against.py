"""The working tree against a git ref: both versions' states, compared per environment."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from fraudspec.core.errors import FraudspecError
from fraudspec.lock.file import lock_path
from fraudspec.review.changes import EnvDiff, diff_states
from fraudspec.review.git import csv_paths, default_ref, export, repo_root, require_ref
from fraudspec.review.state import load_states


@dataclass(frozen=True)
class Compared:
    ref: str
    spec: str  # the spec file, relative to the repository
    diffs: tuple[EnvDiff, ...]


def diff_against(spec_path: Path, ref: str | None = None, env: str | None = None) -> Compared:
    spec_path = spec_path.resolve()
    root = repo_root(spec_path.parent)
    ref = ref or default_ref(root)
    require_ref(root, ref)
    relative = PurePosixPath(spec_path.relative_to(root).as_posix())
    # Spec.root's rule: the project is the parent of specs/, else the spec's own folder.
    project = relative.parent.parent if relative.parent.name == "specs" else relative.parent
    after = load_states(spec_path, env)
    with tempfile.TemporaryDirectory(prefix="fraudspec-diff-") as temporary:
        checkout = Path(temporary)
        export(root, ref, [relative, relative.with_name(lock_path(spec_path).name), project / "terraform"], checkout)
        old_spec = checkout / relative
        if old_spec.is_file():
            data = [PurePosixPath(os.path.normpath(relative.parent / csv)) for csv in csv_paths(old_spec)
                    if not csv.is_absolute()]
            export(root, ref, data, checkout)
        try:
            before = load_states(old_spec, env)
        except FraudspecError as error:
            raise FraudspecError(f"the spec at {ref} does not load: {error.findings[0].message}",
                                 hint=f"compare with another ref (--against), or fix {relative} there") from None
        if env is not None and env not in before and env not in after:
            raise FraudspecError(f"environment '{env}' is in neither version of {relative}",
                                 hint="name an environment the spec declares")
        # Inside the block: a CSV-backed spec at the ref reads its exported data while comparing.
        return Compared(ref, str(relative), tuple(diff_states(before, after)))
