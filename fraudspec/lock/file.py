"""Reading and writing `specs/<name>.lock.json`.

Deterministic JSON (fraudspec.core.jsonfile, keys sorted) so that a review diff shows only real
changes. Writes are atomic (temporary sibling + rename), and read-modify-write cycles
hold an exclusive lock on the spec's directory, so `fraudspec build --env dev` and
`fraudspec build --env staging` running side by side both land in the file.

An entry's challengers are `environments.<env>.variants.<variant>.<kind>` (kinds
fraudspec.lock.layout.VARIANT_KINDS), written only when it has some: the locks of specs without
challengers are byte-for-byte what they were before challengers existed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fraudspec.core import jsonfile
from fraudspec.core.errors import FraudspecError, Location
from fraudspec.core.files import write_atomic
from fraudspec.lock.layout import KINDS, VARIANT_KINDS, Kind
from fraudspec.lock.model import Lock, LockedArtifact, LockEntry, frozen
from fraudspec.spec.model import Spec

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; a single writer at a time is assumed there
    fcntl = None  # type: ignore[assignment]

VERSION = 1
COMMENT = ("Written by fraudspec (build, baseline, promote); do not edit. Per environment: what each "
           "deployed artifact is (sha256), where it lives (uri) and the digest of the spec parts it was built "
           "from (spec_sha256). Review changes to it like code.")


def lock_path(spec_path: Path) -> Path:
    """specs/fraud-detection.yaml -> specs/fraud-detection.lock.json"""
    return spec_path.with_name(f"{spec_path.stem}.lock.json")


def lock_name(spec: Spec) -> str:
    """The lock file as messages name it: relative to the project, like terraform/<env>/."""
    return lock_path(spec.path).relative_to(spec.root).as_posix()


def read_lock(path: Path) -> Lock:
    """The lock at `path`; an empty lock when there is no file yet."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Lock()
    return loads(text, str(path))


def loads(text: str | bytes, file: str = "<lock>") -> Lock:
    try:
        document = json.loads(text)
        if document.get("version") != VERSION:
            raise ValueError(f"version {document.get('version')!r}, expected {VERSION}")
        return Lock(frozen({env: _entry(body) for env, body in document["environments"].items()}))
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise FraudspecError(f"the lock file is malformed: {error}", location=Location(file),
                             hint="restore it from git (`git checkout -- FILE`), or delete it and run "
                                  "`fraudspec build --env ENV` for each environment") from None


def _entry(body: dict[str, Any]) -> LockEntry:
    variants = {name: _artifacts(items, VARIANT_KINDS, f" of variant '{name}'")
                for name, items in body.get("variants", {}).items()}
    return LockEntry(_artifacts(body["artifacts"], KINDS), body.get("promoted_from"), frozen(variants))


def _artifacts(body: dict[Any, Any], kinds: tuple[Kind, ...], what: str = "") -> Mapping[Kind, LockedArtifact]:
    unknown = set(body) - set(kinds)
    if unknown:
        raise ValueError(f"unknown artifact kind(s){what} {', '.join(sorted(unknown))}")
    return frozen({kind: LockedArtifact(item["sha256"], item["uri"], item.get("spec_sha256"))
                   for kind, item in body.items()})


def _plain(artifacts: Mapping[Kind, LockedArtifact]) -> dict[str, Any]:
    return {kind: {key: value for key, value in (("sha256", item.sha256), ("uri", item.uri),
                                                 ("spec_sha256", item.spec_sha256)) if value is not None}
            for kind, item in artifacts.items()}


def dumps(lock: Lock) -> bytes:
    environments = {}
    for env, entry in lock.environments.items():
        body: dict[str, Any] = {"artifacts": _plain(entry.artifacts)}
        if entry.promoted_from is not None:
            body["promoted_from"] = entry.promoted_from
        if entry.variants:
            body["variants"] = {name: _plain(artifacts) for name, artifacts in entry.variants.items()}
        environments[env] = body
    document = {"//": COMMENT, "version": VERSION, "environments": environments}
    return jsonfile.dumps(document, sort_keys=True)


def update_lock(path: Path, change: Callable[[Lock], Lock]) -> Lock:
    """Read, change and write the lock under an exclusive lock; returns the new lock."""
    with _exclusive(path.parent):
        lock = change(read_lock(path))
        _write(path, dumps(lock))
        return lock


def _write(path: Path, data: bytes) -> None:
    """Unchanged content leaves the file (and its modification time) alone."""
    if not (path.is_file() and path.read_bytes() == data):
        write_atomic(path, data)


@contextmanager
def _exclusive(directory: Path) -> Iterator[None]:
    if fcntl is None:
        yield
        return
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock
