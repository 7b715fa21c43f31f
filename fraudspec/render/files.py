"""Writing the rendered files: atomically, and only the files fraudspec owns."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from fraudspec.core.files import write_atomic


def write(directory: Path, rendered: Mapping[str, str]) -> list[str]:
    """Write each file whose content changed; returns the names written, sorted.

    Each file is written atomically (fraudspec.core.files), so a reader or an interrupted render never
    sees half a file. Other files in `directory` are never touched.
    """
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name in sorted(rendered):
        target = directory / name
        content = rendered[name]
        if target.is_file() and target.read_text(encoding="utf-8") == content:
            continue
        write_atomic(target, content)
        written.append(name)
    return written
