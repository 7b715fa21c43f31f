"""`fraudspec cost [--env E] [--format json]`: each aws environment's monthly estimate, line by line.

Without --env, every aws environment the spec declares. Each line gives its formula and inputs;
the cost-aware hints (fraudspec.cost.hints) follow as warnings with what they would save.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fraudspec.cli import output
from fraudspec.cli.options import add_spec_arguments


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_spec_arguments(parser, env_default=None)
    output.add_format_argument(parser)


def run(args: argparse.Namespace) -> int:
    from fraudspec.core.errors import FraudspecError
    from fraudspec.cost import report
    from fraudspec.cost.estimate import estimate
    from fraudspec.cost.hints import spec_warnings
    from fraudspec.cost.prices import prices_for
    from fraudspec.spec.load import load_environments

    specs = load_environments(Path(args.spec), None if args.env is None else [args.env])
    chosen = [spec for spec in specs.values() if args.env is not None or spec.environment.target == "aws"]
    if not chosen:
        raise FraudspecError(f"{args.spec} declares no aws environment: AWS bills nothing for it",
                             hint="add an environment with `target: aws`")
    estimates = [estimate(spec) for spec in chosen]
    warnings = spec_warnings(Path(args.spec), args.env)
    doc = output.document("cost", file=args.spec, environment=args.env,
                          **report.as_json(estimates, prices_for(estimates[0].region)),
                          warnings=[finding.as_dict() for finding in warnings])
    text = "\n\n".join([report.text(estimates).rstrip("\n"), *(str(finding) for finding in warnings)])
    output.emit(args.format, doc, lambda _: text)
    return output.EXIT_OK
