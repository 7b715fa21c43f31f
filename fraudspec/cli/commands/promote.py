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

from fraudspec.cli.options import DEFAULT_SPEC


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--spec", default=DEFAULT_SPEC, help=f"the spec file (default {DEFAULT_SPEC})")
    parser.add_argument("--from", dest="source", required=True, metavar="ENV",
                        help="the environment whose locked artifacts move, e.g. dev")
    parser.add_argument("--to", dest="target", required=True, metavar="ENV",
                        help="the environment that gets them, e.g. staging")
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")


def run(args: argparse.Namespace) -> int:
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
    old_terraform = terraform_resources(read_terraform(target.terraform_dir))
    promotion = promote(source, target, aws.session(target).client("s3"), progress=not args.no_progress)
    for moved in promotion.moved:
        print(f"{moved.action:>8} {moved.artifact.uri} (sha256 verified)")
    rendered = render_environment(target, lock=promotion.lock, digests=promotion.digests)
    new_terraform = terraform_resources(rendered.files)
    diff = diff_environment(target.environment.name, EnvState(target, promotion.before, old_terraform),
                            EnvState(target, promotion.after, new_terraform))
    print("\n".join(environment_lines(diff)))
    print(f"next: review and commit {os.path.relpath(lock_path(target.path))} and "
          f"{os.path.relpath(target.terraform_dir)}/, then `fraudspec apply --env {target.environment.name}`")
    return 0
