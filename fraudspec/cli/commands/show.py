"""`fraudspec show --env E [--explain]`: the effective spec an environment really gets, as a spec.

The output is a valid spec that declares only E, with the base, E's overrides and every default
merged in: `fraudspec validate --env E` accepts it unchanged and `show` of it prints it again.
`--explain` ends each value's line with where it came from: `base`, `environment` (E's own
entry), `override` (E's overrides) or `default` (the schema's, or derived from another field),
with the line that writes it. `--format json` wraps the same spec with that provenance.
"""

from __future__ import annotations

import argparse
import os

from fraudspec.cli import options, output


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_spec_arguments(parser)
    parser.add_argument("--format", choices=("yaml", "text", "json"), default="yaml",
                        help="yaml (default; `text` is the same) or json for scripts (see docs/json-output.md)")
    parser.add_argument("--explain", action="store_true",
                        help="say where each value came from: base, environment, override or default")


def run(args: argparse.Namespace) -> int:
    from fraudspec.spec.plain import dotted, shown_spec, to_yaml

    spec = options.load(args)
    shown = shown_spec(spec)
    env, path = spec.environment.name, os.path.relpath(spec.path)
    if args.format == "json":
        provenance = {dotted(key): {"origin": value.origin, "line": value.line}
                      for key, value in shown.provenance.items()}
        output.emit("json", output.document("show", file=path, environment=env, spec=shown.document,
                                            provenance=provenance), str)
        return 0
    comments = None
    if args.explain:
        comments = {key: value.origin + (f", line {value.line}" if value.line else "")
                    for key, value in shown.provenance.items()}
    header = f"# The effective spec of environment '{env}' from {path} (fraudspec show)\n"
    print(header + to_yaml(shown.document, comments), end="")
    return 0
