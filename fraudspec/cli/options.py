"""Arguments shared by commands, and loading the spec they name."""

from __future__ import annotations

import argparse
from pathlib import Path

DEFAULT_SPEC = "specs/fraud-detection.yaml"


def add_spec_arguments(parser: argparse.ArgumentParser, *, env_default: str | None = "local") -> None:
    parser.add_argument("--spec", default=DEFAULT_SPEC, help=f"the spec file (default {DEFAULT_SPEC})")
    parser.add_argument("--env", default=env_default, help=f"the environment (default {env_default or 'all'})")


def load(args: argparse.Namespace):
    """The validated effective spec for `--spec`/`--env`; raises FraudspecError with every finding."""
    from fraudspec.spec.load import load_spec

    return load_spec(Path(args.spec), args.env)


EARLIEST = "earliest"


def add_monitoring_arguments(parser: argparse.ArgumentParser) -> None:
    """Where a monitoring run reads captures and writes reports, and its window."""
    add_spec_arguments(parser)
    parser.add_argument("--capture", metavar="PATH|s3://BUCKET/PREFIX",
                        help="capture root holding {endpoint}/{variant}/yyyy/mm/dd/hh/*.jsonl "
                             "(default: build/<env>/capture locally, the environment's S3 capture on aws)")
    parser.add_argument("--output", metavar="PATH|s3://BUCKET/PREFIX",
                        help="report root (default: build/<env>/monitoring/reports)")
    parser.add_argument("--start", metavar="TIME", help="window start, ISO 8601 (UTC unless it has an offset), "
                                                        f"or '{EARLIEST}' for the first captured hour")
    parser.add_argument("--end", metavar="TIME", help="window end, exclusive (default: see the command's help)")
