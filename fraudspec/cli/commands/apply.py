"""`fraudspec apply --env E`: deploy an environment.

local: build what changed, write the baseline and (re)start the local runtime; an unchanged spec
leaves a running runtime alone. aws: deploy exactly what the lock names, never building: refuse a
lock that is stale against the spec or that build/ disagrees with (naming the command that fixes
it), then render, publish the artifacts, plan, confirm (or --auto-approve), apply, wait for the
endpoint and invoke it once.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from fraudspec.cli import options, output
from fraudspec.core.errors import FraudspecError
from fraudspec.spec.model import Spec


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_spec_arguments(parser)
    parser.add_argument("--auto-approve", action="store_true", help="aws: apply the plan without asking")
    parser.add_argument("--foreground", action="store_true",
                        help="local: run the runtime in this process until Ctrl-C (for debugging and containers)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")


def run(args: argparse.Namespace) -> int:
    spec = options.load(args)
    if spec.environment.target == "local":
        return _local(spec, args.foreground, not args.no_progress)
    from fraudspec.deploy import aws

    aws.apply(spec, confirmer(args.auto_approve, "apply", spec.environment.name), progress=not args.no_progress)
    return 0


def _local(spec: Spec, foreground: bool, progress: bool) -> int:
    from fraudspec.runtime import local

    if foreground:
        local.serve_foreground(spec, progress)
        return 0
    applied = local.apply(spec, progress)
    env = spec.environment.name
    said = {"started": "started", "restarted": "restarted (the spec or its artifacts changed)",
            "unchanged": "already running with this spec and these artifacts: nothing to do"}[applied.action]
    lines = [f"local runtime {said}",
             f"  endpoint  {spec.names.endpoint}: POST {applied.info.url}/invocations",
             f"  model     sha256:{applied.model_sha256}",
             *_model_lines(spec),
             f"  log       {applied.info.log}",
             f"next: {output.run_hint(f'traffic --env {env} --n 200 --drift amount=x5')}, "
             f"{output.run_hint(f'monitor run --env {env}')}, {output.run_hint(f'drift --env {env}')}; "
             f"stop with {output.run_hint(f'destroy --env {env}')}"]
    output.say("\n".join(lines))
    return 0


def _model_lines(spec: Spec) -> list[str]:
    """The served model's validation metrics and its gate, from the build's metrics.json."""
    from fraudspec.cli.commands.build import HEADLINE, gate_lines
    from fraudspec.core import jsonfile

    report = jsonfile.load(spec.workspace.model_metrics, "model metrics", f"rebuild with `apply --env "
                           f"{spec.environment.name}`")
    validation = report.get("validation", {})
    shown = "  ".join(f"{name} {validation[name]:.4f}" for name in HEADLINE if name in validation)
    verdicts = ", ".join(gate_lines(report.get("gate", {})))
    return [f"  metrics   validation {shown}", f"  gate      {verdicts or 'none (model.gate is empty)'}"]


def confirmer(auto_approve: bool, command: str, env: str) -> Callable[[str], bool]:
    """Ask on a terminal; refuse (rather than hang or guess) when nobody can answer, saying how to approve
    with fraudspec and with make."""
    def confirm(question: str) -> bool:
        if auto_approve:
            return True
        if not sys.stdin.isatty():
            approve = (f"{output.run_hint(f'{command} --env {env} --auto-approve')} "
                       f"(or `make {command} ENV={env} AUTO_APPROVE=1`)")
            raise FraudspecError("refusing to change infrastructure without confirmation (stdin is not a terminal)",
                                 hint=f"review the {'destroy ' if command == 'destroy' else ''}plan printed above, "
                                      f"then run {approve}")
        return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")
    return confirm
