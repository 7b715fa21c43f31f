"""`fraudspec diff [--env E] [--against REF] [--format text|markdown|json]`: what a change does, where.

Compares the effective spec, the lock entry and the rendered Terraform of each aws environment
between the working tree and a git ref (default: origin/main if it exists, else HEAD), field by
field, and flags endpoint downtime, deletion, creation and serverless/realtime switches.
`--format markdown` is the pull-request comment the GitHub workflow posts. When a version of the
spec does not load, its findings are printed on stdout in the requested format (so the comment
says why) and the exit code is 1.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from fraudspec.cli import output
from fraudspec.cli.options import DEFAULT_SPEC
from fraudspec.core.errors import FraudspecError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--spec", default=DEFAULT_SPEC, help=f"the spec file (default {DEFAULT_SPEC})")
    parser.add_argument("--env", help="only this environment (default: every aws environment)")
    parser.add_argument("--against", metavar="GIT_REF", help="compare with this ref (default: origin/main, else HEAD)")
    parser.add_argument("--format", choices=("text", "markdown", "json"), default="text",
                        help="text (default), markdown (a pull-request comment) or json (see docs/json-output.md)")


def run(args: argparse.Namespace) -> int:
    from fraudspec.review import report
    from fraudspec.review.against import diff_against

    try:
        compared = diff_against(Path(args.spec), args.against, args.env)
    except FraudspecError as error:
        against = args.against or "the base ref"
        if args.format == "json":
            findings = [finding.as_dict() for finding in error.findings]
            output.emit("json", output.document("diff", against=against, spec=args.spec, valid=False,
                                                findings=findings, environments=[]), str)
        else:
            lines = [f"error: {finding}" for finding in error.findings]
            print(report.invalid(lines, against, args.spec, markdown_format=args.format == "markdown"), end="")
        return output.EXIT_USER
    if args.format == "json":
        output.emit("json", output.document("diff", against=compared.ref, spec=compared.spec, valid=True,
                                            findings=[], environments=[diff_json(d) for d in compared.diffs]), str)
        return output.EXIT_OK
    write = report.markdown if args.format == "markdown" else report.text
    print(write(compared.diffs, compared.ref, compared.spec), end="")
    return output.EXIT_OK


def diff_json(diff: Any) -> dict[str, Any]:
    """One environment's comparison, from the same EnvDiff the text and markdown reports read."""
    from fraudspec.core.plain_diff import ABSENT

    def value(item: Any) -> Any:
        return None if item is ABSENT else item

    return {
        "environment": diff.env, "status": diff.status, "summary": diff.summary("->"),
        "spec": [{"field": change.label.text, "unit": change.label.unit or None, "before": value(change.before),
                  "after": value(change.after), "text": change.text("->")} for change in diff.spec],
        "artifacts": [{"kind": change.kind, "variant": change.variant, "before": change.before and change.before.sha256,
                       "after": change.after and change.after.sha256, "text": change.text("->")}
                      for change in diff.artifacts],
        "terraform": {"directory": diff.terraform_dir, "changes": [
            {"address": change.address, "action": change.action,
             "attributes": [{"path": path, "before": value(old), "after": value(new)}
                            for path, old, new in change.attributes]} for change in diff.resources]},
        "flags": list(diff.flags), "notes": list(diff.notes), "warnings": list(diff.warnings),
        "cost": None if not diff.cost else {
            "before": diff.cost_totals and diff.cost_totals[0], "after": diff.cost_totals and diff.cost_totals[1],
            "text": diff.cost[0]},
        "variants": diff.variants[0] if diff.variants else None,
    }
