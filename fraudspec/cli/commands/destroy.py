"""`fraudspec destroy --env E`: stop the local runtime, or delete everything an aws environment's
Terraform created."""

from __future__ import annotations

import argparse

from fraudspec.cli import options
from fraudspec.cli.commands.apply import confirmer


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_spec_arguments(parser)
    parser.add_argument("--auto-approve", action="store_true", help="aws: destroy without asking")


def run(args: argparse.Namespace) -> int:
    spec = options.load(args)
    if spec.environment.target == "local":
        from fraudspec.runtime import process as runtime

        stopped = runtime.stop(spec)
        print(f"local runtime stopped (pid {stopped.pid})" if stopped else "local runtime was not running")
        return 0
    from fraudspec.deploy import aws

    aws.destroy(spec, confirmer(args.auto_approve, "destroy", spec.environment.name))
    return 0
