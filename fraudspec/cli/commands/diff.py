"""`fraudspec diff [--env E] [--against REF] [--format text|markdown]`: what a change does, where.

Compares the effective spec, the lock entry and the rendered Terraform of each aws environment
between the working tree and a git ref (default: origin/main if it exists, else HEAD), field by
field, and flags endpoint downtime, deletion, creation and serverless/realtime switches.
`--format markdown` is the pull-request comment the GitHub workflow posts.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fraudspec.cli.options import DEFAULT_SPEC


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--spec", default=DEFAULT_SPEC, help=f"the spec file (default {DEFAULT_SPEC})")
    parser.add_argument("--env", help="only this environment (default: every aws environment)")
    parser.add_argument("--against", metavar="GIT_REF", help="compare with this ref (default: origin/main, else HEAD)")
    parser.add_argument("--format", choices=("text", "markdown"), default="text", help="output format")


def run(args: argparse.Namespace) -> int:
    from fraudspec.review import report
    from fraudspec.review.against import diff_against

    compared = diff_against(Path(args.spec), args.against, args.env)
    write = report.markdown if args.format == "markdown" else report.text
    print(write(compared.diffs, compared.ref, compared.spec), end="")
    return 0
