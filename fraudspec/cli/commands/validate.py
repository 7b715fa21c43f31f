"""`fraudspec validate [SPEC] [--env E]`: every finding at once, sorted by location; exit 0 clean, 1 otherwise.

Validity is per environment (fraudspec.spec.load): without --env, every environment's effective spec.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from fraudspec.cli import output
from fraudspec.cli.options import add_spec_arguments


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_spec_arguments(parser, env_default=None)
    parser.add_argument("spec_path", nargs="?", metavar="SPEC", help="the spec file (same as --spec)")
    output.add_format_argument(parser)


def run(args: argparse.Namespace) -> int:
    from fraudspec.cost.hints import spec_warnings
    from fraudspec.spec.load import validate_spec

    path = Path(args.spec_path or args.spec)
    found = validate_spec(path, args.env)
    if not found:  # the cost warnings are priced from a valid spec
        found = spec_warnings(path, args.env)
    findings = [finding.as_dict() for finding in found]
    errors = [finding for finding in findings if finding.get("severity", "error") == "error"]
    doc = output.document("validate", file=str(path), environment=args.env, valid=not errors, findings=findings)
    output.emit(args.format, doc, render)
    return output.EXIT_USER if errors else output.EXIT_OK


def render(doc: dict[str, Any]) -> str:
    lines = [finding_text(finding) for finding in doc["findings"]]
    scope = f"environment {doc['environment']}" if doc["environment"] else "all environments"
    warnings = sum(1 for finding in doc["findings"] if finding.get("severity") == "warning")
    problems = len(doc["findings"]) - warnings
    also = f", {warnings} warning(s)" if warnings else ""
    lines.append(f"{doc['file']}: {problems} problem(s){also} ({scope})" if problems
                 else f"{doc['file']}: valid{also} ({scope})")
    return "\n".join(lines)


def finding_text(finding: dict[str, Any]) -> str:
    """One finding of `Finding.as_dict()` as `file:line:col: RULE message` and its hint."""
    where = finding["file"] or ""
    if where and finding["line"]:
        where += f":{finding['line']}:{finding['col']}"
    said = "warning: " if finding.get("severity") == "warning" else ""
    text = f"{finding['rule']} {said}{finding['message']}"
    text = f"{where}: {text}" if where else text
    return f"{text}\n    hint: {finding['hint']}" if finding["hint"] else text
