"""Refresh the committed examples' locks and Terraform after fraudspec's own artifacts changed.

The monitoring Lambda's zip is fraudspec's code, and model.tar.gz carries the handler: a change to
either makes the committed locks stale. For every spec under specs/, this rebuilds each aws
environment its lock does not mark as promoted (`fraudspec build --env E`), then promotes the others
from where their lock says they came from (`fraudspec promote --from dev --to staging`), against a
moto server on loopback (the examples' buckets exist only there), so a promoted environment keeps
byte-for-byte its source's artifacts, as on AWS. Run it from the repository root, then review and
commit specs/ and terraform/:

    .venv/bin/python -m tools.refresh_example
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from fraudspec.deploy import emulator
from fraudspec.lock.file import lock_path, read_lock
from fraudspec.spec.load import load_environments

SPECS = sorted(Path("specs").glob("*.yaml"))
FRAUDSPEC = str(Path(sys.executable).parent / "fraudspec")


def main() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    server = emulator.launch(port, subprocess.DEVNULL)
    try:
        emulator.wait_ready(url, server)
        env = {**os.environ, **emulator.environment(url)}
        for name in emulator.UNSET:
            env.pop(name, None)
        for path in SPECS:
            emulator.create_buckets(path, env)
            _refresh(path, env)
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 0


def _refresh(path: Path, env: dict[str, str]) -> None:
    specs = {name: spec for name, spec in load_environments(path).items() if spec.environment.target == "aws"}
    promoted = {name: entry.promoted_from for name, entry in read_lock(lock_path(path)).environments.items()
                if entry.promoted_from}
    commands = [["build", "--env", name] for name in specs if name not in promoted]
    commands += [["promote", "--from", source, "--to", name] for name, source in promoted.items()]
    for command in [*commands, ["render", "--check"]]:
        print(f"$ fraudspec {' '.join(command)} --spec {path}", flush=True)
        subprocess.run([FRAUDSPEC, *command, "--spec", str(path)], env=env, check=True)


if __name__ == "__main__":
    sys.exit(main())
