"""`fraudspec render [--env E] [--check]`: write terraform/<env>/ from the spec and the lock (commit it).

Without --env, every aws environment. Rendering reads the lock file, never build/, so it needs
no training and no network: `--check` runs on a clean clone (CI, pre-commit) and fails, showing
the diff, when the committed terraform/ differs from what the spec and the lock render.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fraudspec.cli import options
from fraudspec.core.errors import FraudspecError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_spec_arguments(parser, env_default=None)
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 with a diff when the committed terraform/ is stale")


def run(args: argparse.Namespace) -> int:
    from fraudspec.lock.file import lock_path, read_lock
    from fraudspec.render.environment import aws_environments, check_environment, render_environment

    specs = [options.load(args)] if args.env else aws_environments(Path(args.spec))
    lock = read_lock(lock_path(Path(args.spec)))  # once, for every environment
    if not args.check:
        for spec in specs:
            render_environment(spec, lock=lock)
        return 0
    stale = []
    for spec in specs:
        difference = check_environment(spec, lock)
        env = spec.environment.name
        if difference:
            print(difference, end="")
            stale.append(env)
        else:
            print(f"terraform/{env}/ is up to date")
    if stale:
        commands = " and ".join(f"`fraudspec render --env {env}`" for env in stale)
        raise FraudspecError(f"the committed Terraform of {', '.join(stale)} differs from what the spec and the lock "
                             f"render (diff above)", hint=f"run {commands}, then commit terraform/")
    return 0
