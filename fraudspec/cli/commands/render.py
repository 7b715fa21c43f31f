"""`fraudspec render --env E`: write terraform/<env>/ for an aws environment (commit it)."""

from __future__ import annotations

import argparse

from fraudspec.cli import options


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_spec_arguments(parser, env_default="dev")


def run(args: argparse.Namespace) -> int:
    from fraudspec.deploy import aws

    aws.render_environment(options.load(args))
    return 0
