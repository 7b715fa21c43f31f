"""`fraudspec plan --env E`: render, then show what Terraform would change, without changing it."""

from __future__ import annotations

import argparse

from fraudspec.cli import options
from fraudspec.core.errors import FraudspecError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_spec_arguments(parser, env_default="dev")


def run(args: argparse.Namespace) -> int:
    spec = options.load(args)
    if spec.environment.target != "aws":
        env = spec.environment.name
        raise FraudspecError(f"environment '{env}' is local: there is no Terraform plan",
                             hint=f"`fraudspec apply --env {env}` rebuilds what changed and says whether it restarts")
    from fraudspec.deploy import aws

    aws.plan(spec)
    return 0
