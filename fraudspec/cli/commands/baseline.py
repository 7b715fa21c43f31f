"""`fraudspec baseline --env E`: profile the training data into build/<env>/monitoring/{statistics,constraints}.json.

For an aws environment both files are then locked (specs/<name>.lock.json) and terraform/<env>/
is rendered again from the lock: after a threshold change this is all that needs redoing.

A spec with challengers profiles every variant's own training split into its own workspace
(`variants/<name>/monitoring/`), each printed under its variant's name, and locks them all.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fraudspec.cli import options
from fraudspec.core.errors import FraudspecError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_spec_arguments(parser)
    parser.add_argument("--data", type=Path, metavar="CSV",
                        help="profile this CSV (header row, a column per feature) instead of build/<env>/data/train.csv"
                             " (local environments only)")


def run(args: argparse.Namespace) -> int:
    spec = options.load(args)
    aws = spec.environment.target == "aws"
    if aws and args.data is not None:
        raise FraudspecError("--data cannot baseline an aws environment: its locked baseline must profile the "
                             "training split of its own build", hint="drop --data")
    from fraudspec.monitoring.engine.baseline import write_baseline
    from fraudspec.reports.text import render_baseline

    for view in spec.variant_specs:
        if view.challenger is not None:
            print(f"challenger {view.challenger} ({view.variant.role})")
        # --data (local only) stands for every variant's training split: they share the features.
        statistics, constraints, paths = write_baseline(view, args.data)
        print(render_baseline(statistics, constraints, paths))
    if aws:
        from fraudspec.lock.record import record_built
        from fraudspec.render.environment import render_environment

        for line in record_built(spec, ("statistics", "constraints"), whole_entry=False).lines():
            print(line)
        render_environment(spec)
    return 0
