"""`fraudspec plan [--env E] [--detailed-exitcode] [--format text|json]`: render, then show what
Terraform would change, without changing it.

Without --env, every aws environment (as `render` and `diff` do; a local environment has no plan:
`apply --env local` says whether it restarts). Exit codes as Terraform's: 0 success; with
--detailed-exitcode, 0 no changes and 2 changes (in any environment planned); 1 an error.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from fraudspec.cli import options, output
from fraudspec.core.errors import FraudspecError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_spec_arguments(parser, env_default=None)
    parser.add_argument("--detailed-exitcode", action="store_true",
                        help="exit 0 with no changes and 2 with changes (Terraform's -detailed-exitcode)")
    output.add_format_argument(parser)


def run(args: argparse.Namespace) -> int:
    from fraudspec.deploy import aws
    from fraudspec.render.environment import aws_environments

    specs = [options.load(args)] if args.env else aws_environments(Path(args.spec))
    for spec in specs:
        if spec.environment.target != "aws":
            env = spec.environment.name
            raise FraudspecError(f"environment '{env}' is local: there is no Terraform plan",
                                 hint=f"{output.run_hint(f'apply --env {env}')} rebuilds what changed and says "
                                      "whether it restarts; plan an aws environment with --env, or all without it")
    echo = output.progress_echo(args.format)  # text: the summaries as Terraform prints them; json: progress only
    planned = [plan_json(spec.environment.name, aws.plan(spec, echo)) for spec in specs]
    changed = any(item["has_changes"] for item in planned)
    if args.format == "json":
        output.emit("json", output.document("plan", has_changes=changed, environments=planned), str)
    return output.EXIT_CHANGES if changed and args.detailed_exitcode else output.EXIT_OK


def plan_json(env: str, summary: Any) -> dict[str, Any]:
    """A deploy.plan_summary.PlanSummary: the same object its text (`summary.render()`) comes from."""
    actions = ("create", "update", "replace", "delete")
    return {
        "environment": env,
        "has_changes": summary.has_changes,
        "counts": {action: summary.count(action) for action in actions},
        "changes": [{"address": c.address, "type": c.type, "action": c.action,
                     "replace_reasons": list(c.replace_reasons)} for c in summary.changes],
        "endpoint_action": summary.endpoint_action(),
        "summary": summary.render(),
    }
