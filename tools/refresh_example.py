"""Refresh the committed examples' locks and Terraform after fraudspec's own artifacts changed.

The monitoring Lambda's zip is fraudspec's code, and model.tar.gz carries the handler: a change to
either makes the committed locks stale. For every spec under specs/, this rebuilds each aws
environment its lock does not mark as promoted (`fraudspec build --env E`), then promotes the others
from where their lock says they came from (`fraudspec promote --from dev --to staging`), against a
moto server on loopback (the examples' buckets exist only there), so a promoted environment keeps
byte-for-byte its source's artifacts, as on AWS. A spec with challengers builds and locks every
variant (and promotes them with the champion); once refreshed, every environment's lock must hold each
of its challengers' artifacts, or the tool fails naming the one missing. Run it from the repository
root, then review and commit specs/ and terraform/:

    .venv/bin/python -m tools.refresh_example [SPEC ...]     (default: every specs/*.yaml)
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
from pathlib import Path

from fraudspec.deploy import emulator
from fraudspec.lock.file import lock_path, read_lock
from fraudspec.render.artifacts import artifacts_from_lock
from fraudspec.spec.load import load_environments

FRAUDSPEC = str(Path(sys.executable).parent / "fraudspec")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="refresh the examples' locks and Terraform through the emulator")
    parser.add_argument("specs", nargs="*", type=Path, help="spec files (default: every specs/*.yaml)")
    specs = parser.parse_args(argv).specs or sorted(Path("specs").glob("*.yaml"))
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
        for path in specs:
            emulator.create_buckets(path, env)
            _refresh(path, env)
            _require_challengers(path)
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


def _require_challengers(path: Path) -> None:
    """Every aws environment's lock entry holds each of its challengers' artifacts (FraudspecError names a gap)."""
    lock = read_lock(lock_path(path))
    for name, spec in load_environments(path).items():
        if spec.environment.target == "aws":
            variants = artifacts_from_lock(spec, lock).variants
            if variants:
                print(f"{path} {name}: challengers {', '.join(variants)} locked", flush=True)


if __name__ == "__main__":
    sys.exit(main())
