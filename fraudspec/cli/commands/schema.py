"""`fraudspec schema`: print the spec's JSON Schema (for editors and other tools)."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """No options."""


def run(args: argparse.Namespace) -> int:
    from fraudspec.spec.schema import schema_text

    print(schema_text(), end="")
    return 0
