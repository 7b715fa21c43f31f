"""`fraudspec baseline --env E`: profile the training data into build/<env>/monitoring/{statistics,constraints}.json."""

from __future__ import annotations

import argparse
from pathlib import Path

from fraudspec.cli import options


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_spec_arguments(parser)
    parser.add_argument("--data", type=Path, metavar="CSV",
                        help="profile this CSV (header row, a column per feature) instead of build/<env>/data/train.csv")


def run(args: argparse.Namespace) -> int:
    spec = options.load(args)
    from fraudspec.monitor.baseline import write_baseline
    from fraudspec.monitor.report import render_baseline

    statistics, constraints, paths = write_baseline(spec, args.data)
    print(render_baseline(statistics, constraints, paths))
    return 0
