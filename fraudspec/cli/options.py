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
