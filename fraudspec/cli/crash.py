"""Where an internal error's traceback goes: a private, per-user file no one else can plant or read.

`$XDG_STATE_HOME/fraudspec/crash.log` (default `~/.local/state/fraudspec/crash.log`). The folder is
made with mode 0700 and must be a real directory owned by this user (not a symlink); the file is
opened with O_NOFOLLOW and mode 0600, so a planted symlink is never written through. Values of
environment variables that look like secrets (webhook URLs, tokens, keys) are masked in the text.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping
from pathlib import Path

_SECRET_NAME = re.compile(r"WEBHOOK|SECRET|TOKEN|PASSWORD|KEY|URL", re.IGNORECASE)
_MIN_MASKED = 8  # shorter values would mask ordinary words


def crash_dir(environ: Mapping[str, str] = os.environ) -> Path:
    state = environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "fraudspec"


def save(text: str, environ: Mapping[str, str] = os.environ) -> Path | None:
    """Writes `text` (secrets masked) to the crash log; None when the private folder cannot be trusted."""
    folder = crash_dir(environ)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(folder)
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
            return None
        if stat.S_IMODE(info.st_mode) != 0o700:
            os.chmod(folder, 0o700)
        path = folder / "crash.log"
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            os.fchmod(descriptor, 0o600)  # an existing file keeps its mode on open
            file.write(mask(text, environ))
        return path
    except OSError:
        return None


def mask(text: str, environ: Mapping[str, str] = os.environ) -> str:
    for name, value in environ.items():
        if _SECRET_NAME.search(name) and len(value) >= _MIN_MASKED:
            text = text.replace(value, f"${{env:{name}}}")
    return text
