"""`fraudspec monitor run --env E`: one monitoring execution over captured traffic, printed and written.

The window defaults to the previous full UTC hour; `--start earliest` starts at the first captured
hour, and `--start` without `--end` runs to the end of the current hour. On a local target with
none of --start/--end/--capture/--output, the run analyses everything captured since the previous
such run and evaluates the local alarms (see fraudspec.runtime.monitoring).

With challengers each run covers every variant (champion first), or the one `--variant` names: each
its own capture, baseline and reports (fraudspec.reports.variants prints them one after the other).

Exit codes: 0 Completed; 3 CompletedWithViolations or Failed (e.g. no data in the window) of any
variant, so a CI job can gate on it; 1 a user error.

`fraudspec monitor quality --env E` evaluates captured predictions against ground truth (see
fraudspec.cli.commands.quality); on a local target without options, since the previous such run.
"""

from __future__ import annotations

import argparse
from typing import Any

from fraudspec.cli import options, output
from fraudspec.cli.commands.quality import (
    add_quality_arguments,
    add_variant_argument,
    print_runs,
    run_local_quality_command,
    run_quality_command,
    transitions_json,
)

RUN_DEFAULTS = ("Window defaults: the previous full UTC hour; --start alone runs to the end of the current hour. "
                "On a local environment with none of --start/--end/--capture/--output: everything captured since "
                "the previous such run, and the local alarms are evaluated.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    run_parser = actions.add_parser("run", help="analyse captured requests against the baseline",
                                    description="Analyse captured requests against the baseline and write "
                                                "statistics.json, constraint_violations.json and a summary. "
                                                + RUN_DEFAULTS + " Exits 3 on violations or a failed execution.")
    options.add_monitoring_arguments(run_parser)
    add_variant_argument(run_parser)
    output.add_format_argument(run_parser)
    quality_parser = actions.add_parser("quality", help="evaluate captured predictions against ground truth",
                                        description="Join captured predictions to ground-truth labels and write "
                                                    "Model Monitor's model-quality statistics and violations. "
                                                    "Exits 3 on violations or a failed execution.")
    add_quality_arguments(quality_parser)


def run(args: argparse.Namespace) -> int:
    on_demand = not (args.start or args.end or args.capture or args.output)
    if args.action == "quality":
        if on_demand and not args.ground_truth and options.load(args).environment.target == "local":
            return run_local_quality_command(args)
        return run_quality_command(args)
    spec = options.load(args)
    from fraudspec.monitoring.jobs.for_spec import JobRequest, default_capture, run_for_spec, variant_views
    from fraudspec.reports.text import execution_document

    if spec.environment.target == "local" and on_demand:
        from fraudspec.runtime.monitoring import run_since_last

        local = run_since_last(spec, variant=args.variant)
        docs = [(run.variant, execution_document(run.result, run.written, on_demand=True)) for run in local.runs]
        return _print(args, spec, docs, transitions_json(local.transitions))
    start, end, earliest = options.requested_window(args)
    capture = args.capture or default_capture(spec)
    request = JobRequest(capture=capture, output=args.output, start=start, end=end, from_earliest=earliest)
    outcomes = [(view.variant, run_for_spec(view, request)) for view in variant_views(spec, args.variant)]
    code = _print(args, spec, [(variant, execution_document(outcome.result, outcome.reports, capture))
                               for variant, outcome in outcomes], [])
    if not any(outcome.result.counts.rows for _, outcome in outcomes) and not earliest and args.format == "text":
        output.say(f"\nhint: nothing was captured in this window; `--start {options.EARLIEST}` analyses everything "
                   "captured so far")
    return code


def _print(args: argparse.Namespace, spec: Any, docs: list[tuple[Any, dict[str, Any]]],
           transitions: list[dict[str, str]]) -> int:
    from fraudspec.reports.text import render

    return print_runs(args, spec, "monitor run", docs, transitions, render, ("Completed",))
