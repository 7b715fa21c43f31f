"""`fraudspec promote --from dev --to staging`: staging gets exactly dev's artifacts, no retraining.

Refuses when dev's lock entry is stale against its spec, or when staging's spec asks for other
artifacts. Copies (or finds) each artifact in staging's bucket, verified by checksum, points
staging's lock entry at the same digests (`promoted_from: dev`), renders terraform/staging/ and
prints what changes for staging. Review and commit both, then `fraudspec apply --env staging`.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from fraudspec.cli import output
from fraudspec.cli.options import DEFAULT_SPEC


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--spec", default=DEFAULT_SPEC, help=f"the spec file (default {DEFAULT_SPEC})")
    parser.add_argument("--from", dest="source", required=True, metavar="ENV",
                        help="the environment whose locked artifacts move, e.g. dev")
    parser.add_argument("--to", dest="target", required=True, metavar="ENV",
                        help="the environment that gets them, e.g. staging")
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    output.add_format_argument(parser)


def run(args: argparse.Namespace) -> int:
    from fraudspec.cli.commands.diff import diff_json
    from fraudspec.deploy import aws
    from fraudspec.deploy.promote import promote
    from fraudspec.lock.file import lock_path
    from fraudspec.render.environment import render_environment
    from fraudspec.review.changes import diff_environment
    from fraudspec.review.report import environment_lines
    from fraudspec.review.state import EnvState, read_terraform, terraform_resources
    from fraudspec.spec.load import load_environments

    specs = load_environments(Path(args.spec), [args.source, args.target])
    source, target = specs[args.source], specs[args.target]
    env = target.environment.name
    old_terraform = terraform_resources(read_terraform(target.terraform_dir))
    promotion = promote(source, target, aws.session(target).client("s3"), progress=not args.no_progress)
    echo = output.progress_echo(args.format)
    rendered = render_environment(target, echo, lock=promotion.lock, digests=promotion.digests)
    new_terraform = terraform_resources(rendered.files)
    diff = diff_environment(env, EnvState(target, promotion.before, old_terraform),
                            EnvState(target, promotion.after, new_terraform))
    lock, terraform = os.path.relpath(lock_path(target.path)), os.path.relpath(target.terraform_dir)
    doc = output.document(
        "promote", source=args.source, target=env,
        moved=[{"kind": moved.artifact.kind, "action": moved.action, "uri": moved.artifact.uri,
                "sha256": moved.artifact.sha256, "verified": True,
                **({} if moved.variant is None else {"variant": moved.variant})}
               for moved in promotion.moved],
        changes=diff_json(diff), lock=lock, terraform_dir=terraform,
        next=f"review and commit {lock} and {terraform}/, then {output.run_hint(f'apply --env {env}')}",
    )
    output.emit(args.format, doc, lambda d: "\n".join(_text(d, environment_lines(diff))))
    return output.EXIT_OK


def _text(doc: dict, changes: list[str]) -> list[str]:
    moved = [f"{m['action']:>8} {m['uri']} (sha256 verified{_of(m)})" for m in doc["moved"]]
    return [*moved, *changes, f"next: {doc['next']}"]


def _of(moved: dict) -> str:
    """A challenger's artifact names its variant (its key alone does not)."""
    return f", challenger {moved['variant']}" if "variant" in moved else ""
