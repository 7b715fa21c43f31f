"""`fraudspec build`: synthesise or read the data, train, check the gate, package model.tar.gz.

For an aws environment it then completes what the environment deploys and locks it: the
monitoring baseline, the monitoring Lambda, the lock entry (specs/<name>.lock.json) and the
environment's terraform/<env>/ rendered from it. Commit both.

numpy, scikit-learn and tqdm are imported only inside `run`, so `fraudspec --help` stays fast.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from fraudspec.cli import options
from fraudspec.spec.model import Spec


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_spec_arguments(parser)
    parser.add_argument("--no-progress", action="store_true", help="do not show the progress bar")


def run(args: argparse.Namespace) -> int:
    from fraudspec.artifact.pipeline import build

    spec = options.load(args)
    result = build(spec, progress=not args.no_progress)
    if result.cached:
        print("model unchanged: the inputs match the last build, so nothing was retrained")
    print(f"data      {_shown(result.train_csv)}, {_shown(result.validation_csv)}")
    print(f"metrics   {_shown(result.metrics_json)}")
    print("validation " + "  ".join(f"{name} {result.metrics[name]:.4f}"
                                    for name in ("roc_auc", "pr_auc", "precision", "recall")))
    print(f"{result.sha256}  {_shown(result.model_tar)}")
    if spec.environment.target == "aws":
        _lock(spec)
    return 0


def _lock(spec: Spec) -> None:
    from fraudspec.deploy import lambda_package
    from fraudspec.lock.record import record_built
    from fraudspec.monitoring.engine.baseline import write_baseline
    from fraudspec.render.artifacts import needed_kinds, needs_monitor_lambda
    from fraudspec.render.environment import render_environment

    write_baseline(spec)
    if needs_monitor_lambda(spec):
        lambda_package.build(spec)
    for line in record_built(spec, needed_kinds(spec), whole_entry=True).lines():
        print(line)
    render_environment(spec)


def _shown(path: Path) -> str:
    """Relative to the working directory when that is shorter."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return relative if len(relative) < len(str(path)) else str(path)
