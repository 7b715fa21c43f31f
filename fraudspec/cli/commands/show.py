"""`fraudspec show --env E`: the effective spec an environment really gets, defaults filled in."""

from __future__ import annotations

import argparse
import json

from fraudspec.cli import options


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_spec_arguments(parser)
    parser.add_argument("--format", choices=("yaml", "json"), default="yaml", help="output format")


def run(args: argparse.Namespace) -> int:
    from fraudspec.spec.plain import to_plain

    spec = options.load(args)
    plain = to_plain(spec)
    plain["path"] = str(args.spec)  # as given, so output does not depend on where the repo lives
    if args.format == "json":
        print(json.dumps(plain, indent=2))
    else:
        import yaml

        print(yaml.safe_dump(plain, sort_keys=False, default_flow_style=False), end="")
    return 0
