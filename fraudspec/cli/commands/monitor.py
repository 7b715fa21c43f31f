"""`fraudspec monitor run --env E`: one monitoring execution over captured traffic, printed and written.

The window defaults to the previous full UTC hour; `--start earliest` starts at the first captured
hour, and `--start` without `--end` runs to the end of the current hour. On a local target with
none of --start/--end/--capture/--output, the run analyses everything captured since the previous
such run and evaluates the local alarms (see fraudspec.runtime.monitoring).

`fraudspec monitor quality --env E` evaluates captured predictions against ground truth (see
fraudspec.cli.commands.quality); on a local target without options, since the previous such run.
"""

from __future__ import annotations

import argparse

from fraudspec.cli import options
from fraudspec.cli.commands.quality import add_quality_arguments, run_quality_command


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    run_parser = actions.add_parser("run", help="analyse captured requests against the baseline",
                                    description="Analyse captured requests against the baseline and write "
                                                "statistics.json, constraint_violations.json and a summary.")
    options.add_monitoring_arguments(run_parser)
    quality_parser = actions.add_parser("quality", help="evaluate captured predictions against ground truth",
                                        description="Join captured predictions to ground-truth labels and write "
                                                    "Model Monitor's model-quality statistics and violations.")
    add_quality_arguments(quality_parser)


def run(args: argparse.Namespace) -> int:
    if args.action == "quality":
        return _quality(args)
    spec = options.load(args)
    from fraudspec.monitoring.jobs.for_spec import JobRequest, default_capture, run_for_spec
    from fraudspec.reports.text import render

    if spec.environment.target == "local" and not (args.start or args.end or args.capture or args.output):
        return _run_local(spec)
    start, end, earliest = options.requested_window(args)
    capture = args.capture or default_capture(spec)
    request = JobRequest(capture=capture, output=args.output, start=start, end=end, from_earliest=earliest)
    outcome = run_for_spec(spec, request)
    print(render(outcome.result, outcome.reports, capture))
    if outcome.result.counts.rows == 0 and not earliest:
        print(
            f"\nhint: nothing was captured in this window; `--start {options.EARLIEST}` analyses everything "
            "captured so far"
        )
    return 0


def _quality(args: argparse.Namespace) -> int:
    spec = options.load(args)
    if spec.environment.target != "local" or args.start or args.end or args.capture or args.ground_truth or args.output:
        return run_quality_command(args)
    from fraudspec.monitoring.jobs.for_spec import default_ground_truth
    from fraudspec.reports.quality import render
    from fraudspec.runtime.monitoring import run_quality_since_last

    run = run_quality_since_last(spec)
    print(render(run.result, run.written, "captured since the previous run", default_ground_truth(spec)))
    _print_transitions(run.transitions)
    return 0


def _run_local(spec) -> int:
    from fraudspec.reports.text import render
    from fraudspec.runtime.monitoring import run_since_last

    run = run_since_last(spec)
    print(render(run.result, run.written))
    _print_transitions(run.transitions)
    return 0


def _print_transitions(transitions) -> None:
    for change in transitions:
        print(f"alarm {change.alarm}: {change.old} -> {change.new}\n    {change.reason}")
