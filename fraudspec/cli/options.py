"""Arguments shared by commands, and loading the spec they name."""

from __future__ import annotations

import argparse
from datetime import datetime, timezone
from pathlib import Path

from fraudspec.core.errors import FraudspecError

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
    parser.add_argument("--end", metavar="TIME",
                        help="window end, exclusive (default: with --start, the end of the current UTC hour; "
                             "without, the start of the current hour, so the window is the previous full hour)")


def requested_window(args: argparse.Namespace) -> tuple[datetime | None, datetime | None, bool]:
    """--start/--end as UTC times, and whether --start asked for the earliest captured hour."""
    earliest = args.start == EARLIEST
    start = None if earliest or args.start is None else parse_time(args.start, "--start")
    end = None if args.end is None else parse_time(args.end, "--end")
    return start, end, earliest


def parse_time(text: str, option: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise FraudspecError(f"{option} {text!r} is not a time", hint="write e.g. 2024-05-01T13:00Z") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
