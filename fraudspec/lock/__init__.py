"""The lock file, `specs/<name>.lock.json`: per environment, what each deployed artifact IS.

Owned by fraudspec and committed. `build` and `baseline` write an environment's entry from its
build outputs, `promote` copies another environment's entry; `render` reads it (so rendering
never trains), `apply` deploys exactly what it names, and `diff` shows how it changed.

    layout.py   the four artifacts: file names, build paths, content-addressed S3 keys
    model.py    the typed lock: Lock -> LockEntry per environment -> LockedArtifact per kind
    file.py     reading and writing the file: deterministic JSON, atomic, one writer at a time
    inputs.py   which spec fields each artifact is built from, and their digests
    stale.py    an entry that no longer matches its spec, and the command that fixes it
    record.py   locking what `build`/`baseline` just wrote under build/<env>/
"""
