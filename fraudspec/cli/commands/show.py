"""`fraudspec show --env E`: the effective spec an environment really gets, defaults filled in."""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path
from typing import Any, Mapping

from fraudspec.cli import options


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_spec_arguments(parser)
    parser.add_argument("--format", choices=("yaml", "json"), default="yaml", help="output format")


def run(args: argparse.Namespace) -> int:
    spec = options.load(args)
    plain = to_plain(spec)
    plain["path"] = str(args.spec)  # as given, so output does not depend on where the repo lives
    data = plain["model"]["data"]
    plain["model"]["data"] = {"csv": data["path"]} if "path" in data else {"synthetic": data}
    if args.format == "json":
        print(json.dumps(plain, indent=2))
    else:
        import yaml

        print(yaml.safe_dump(plain, sort_keys=False, default_flow_style=False), end="")
    return 0


def to_plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: to_plain(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(key): to_plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(item) for item in value]
    if isinstance(value, Path):
        return str(value)
    return value
