"""Writing the rendered files: atomically, and only the files fraudspec owns."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path


def write(directory: Path, rendered: Mapping[str, str]) -> list[str]:
    """Write each file whose content changed; returns the names written, sorted.

    Each file is written to a temporary sibling and renamed over the old one, so a reader (or an
    interrupted render) never sees half a file. Other files in `directory` are never touched.
    """
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name in sorted(rendered):
        target = directory / name
        content = rendered[name]
        if target.is_file() and target.read_text(encoding="utf-8") == content:
            continue
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(content)
            os.chmod(temporary, 0o644)  # mkstemp creates 0600; these are ordinary repo files
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        written.append(name)
    return written
