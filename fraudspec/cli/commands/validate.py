"""`fraudspec validate`: every finding at once, sorted by location; exit 0 clean, 1 otherwise."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from fraudspec.cli.options import add_spec_arguments


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_spec_arguments(parser, env_default=None)
    parser.add_argument("spec_path", nargs="?", metavar="SPEC", help="the spec file (same as --spec)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")


def run(args: argparse.Namespace) -> int:
    from fraudspec.spec.load import validate_spec

    path = Path(args.spec_path or args.spec)
    findings = validate_spec(path, args.env)
    if args.format == "json":
        print(json.dumps({"file": str(path), "valid": not findings,
                          "findings": [finding.as_dict() for finding in findings]}, indent=2))
    else:
        for finding in findings:
            print(finding)
        scope = f"environment {args.env}" if args.env else "all environments"
        print(f"{path}: {len(findings)} problem(s) ({scope})" if findings else f"{path}: valid ({scope})")
    return 1 if findings else 0
