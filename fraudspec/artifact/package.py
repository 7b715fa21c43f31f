"""model.tar.gz in SageMaker's layout, byte-for-byte reproducible.

Layout: the model files at the root, the serving code under code/ (SageMaker unpacks the
archive to /opt/ml/model and runs code/inference.py). Reproducible: entries sorted by name,
mtime 0, uid/gid 0 with empty owner names, fixed modes, ustar format, and a gzip header
without a timestamp or file name.
"""

from __future__ import annotations

import gzip
import io
import tarfile
from collections.abc import Mapping
from importlib import resources

# The serving code copied into code/: inference.py and the modules it imports.
HANDLER_FILES = ("capture.py", "firehose.py", "inference.py", "payload.py", "predictor.py")


def handler_files() -> dict[str, bytes]:
    source = resources.files("fraudspec.artifact.handler")
    return {f"code/{name}": source.joinpath(name).read_bytes() for name in HANDLER_FILES}


def tar_gz(files: Mapping[str, bytes]) -> bytes:
    """A deterministic .tar.gz of `files` ({path inside the archive: content})."""
    parts = [path.split("/") for path in files]
    directories = {"/".join(p[:i]) for p in parts for i in range(1, len(p))}
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        for name in sorted([*directories, *files]):
            entry = tarfile.TarInfo(name)
            entry.mtime, entry.uid, entry.gid, entry.uname, entry.gname = 0, 0, 0, "", ""
            if name in files:
                entry.size, entry.mode = len(files[name]), 0o644
                archive.addfile(entry, io.BytesIO(files[name]))
            else:
                entry.type, entry.mode = tarfile.DIRTYPE, 0o755
                archive.addfile(entry)
    compressed = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=compressed, mtime=0, compresslevel=9) as stream:
        stream.write(raw.getvalue())
    return compressed.getvalue()
