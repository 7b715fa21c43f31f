"""`fraudspec monitor quality --env E`: one model-quality execution, its table printed and its reports written.

`fraudspec monitor` attaches it as a subcommand: `add_quality_arguments(parser)` on the subparser,
`run_quality_command(args)` to run it. Without --start/--end the predictions are those of the previous
full UTC hour shifted back by label_delay_hours, as the schedule would take them; `--start earliest`
evaluates everything captured so far; on a local target without options, the predictions captured
since the previous such run. Labels are every one that has arrived (by hour folder) by now.
With challengers every variant is evaluated (champion first), or the one `--variant` names: each
variant's captured predictions joined to the endpoint's ground truth, reported under its own schedule.
Exit codes: 0 Completed or InsufficientData (too few labels is never a violation); 3
CompletedWithViolations or Failed (of any variant); 1 a user error.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from fraudspec.cli import options, output

PASSING = ("Completed", "InsufficientData")


def add_variant_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--variant", metavar="NAME",
                        help="only this endpoint variant (the champion's or a challenger's; default: every variant)")


def add_quality_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_monitoring_arguments(parser)
    add_variant_argument(parser)
    parser.add_argument("--ground-truth", metavar="PATH|s3://BUCKET/PREFIX",
                        help="ground-truth root holding yyyy/mm/dd/hh/*.jsonl (default: monitoring.model_quality."
                             "ground_truth, else build/<env>/ground-truth locally, the environment's bucket on aws)")
    output.add_format_argument(parser)


def run_local_quality_command(args: argparse.Namespace) -> int:
    """On a local target without options: the predictions captured since the previous such run."""
    spec = options.load(args)
    from fraudspec.monitoring.jobs.for_spec import default_ground_truth
    from fraudspec.reports.quality import quality_document
    from fraudspec.runtime.monitoring import run_quality_since_last

    local = run_quality_since_last(spec, variant=args.variant)
    docs = [(run.variant, quality_document(run.result, run.written, ground_truth=default_ground_truth(spec),
                                           on_demand=True)) for run in local.runs]
    return _print(args, spec, docs, transitions_json(local.transitions))


def run_quality_command(args: argparse.Namespace) -> int:
    spec = options.load(args)
    from fraudspec.monitoring.jobs.for_spec import (
        JobRequest,
        default_capture,
        default_ground_truth,
        model_quality,
        run_quality_for_spec,
        variant_views,
    )
    from fraudspec.reports.quality import quality_document

    model_quality(spec)  # a spec without model quality fails here, before any path is resolved
    ground_truth = args.ground_truth or default_ground_truth(spec)
    start, end, earliest = options.requested_window(args)
    capture = args.capture or default_capture(spec)
    request = JobRequest(capture=capture, ground_truth=ground_truth, output=args.output, start=start, end=end,
                         from_earliest=earliest)
    outcomes = [(view.variant, run_quality_for_spec(view, request)) for view in variant_views(spec, args.variant)]
    docs = [(variant, quality_document(outcome.result, outcome.reports, capture, ground_truth))
            for variant, outcome in outcomes]
    code = _print(args, spec, docs, [])
    if args.format != "text":
        return code
    results = [outcome.result for _, outcome in outcomes]
    if not any(result.counts.predictions for result in results) and not earliest:
        output.say(f"\nhint: nothing was captured in this window; `--start {options.EARLIEST}` evaluates everything "
                   "captured so far")
    elif any(result.counts.predictions and not result.counts.labelled for result in results):
        output.say(f"\nhint: no prediction of this window has a label yet; labels go under {ground_truth}/yyyy/mm/dd/"
                   "hh/ (the hour they arrive), keyed by each request's inference id")
    return code


def transitions_json(transitions: Sequence[Any]) -> list[dict[str, str]]:
    """The local alarms' state changes a run caused."""
    return [{"alarm": t.alarm, "metric": t.metric, "old": t.old, "new": t.new, "reason": t.reason}
            for t in transitions]


def _print(args: argparse.Namespace, spec: Any, docs: Sequence[tuple[Any, dict[str, Any]]],
           transitions: list[dict[str, str]]) -> int:
    from fraudspec.reports.quality import render

    return print_runs(args, spec, "monitor quality", docs, transitions, render, PASSING)


def print_runs(args: argparse.Namespace, spec: Any, command: str, docs: Sequence[tuple[Any, dict[str, Any]]],
               transitions: list[dict[str, str]], render: Callable[[Mapping[str, Any]], str],
               passing: Sequence[str]) -> int:
    """One run's document as before, or, for an endpoint with challengers, every variant's (reports.variants);
    exit 3 when any variant's status is not `passing`."""
    from fraudspec.reports.variants import render_runs, runs_document

    if spec.endpoint.challengers:
        doc = output.document(command, environment=spec.environment.name, **runs_document(docs),
                              alarm_changes=transitions)
        output.emit(args.format, doc, lambda doc: render_runs(doc, render))
    else:
        doc = output.document(command, environment=spec.environment.name, **docs[0][1], alarm_changes=transitions)
        output.emit(args.format, doc, render)
    statuses = [each["status"] for _, each in docs]
    return output.EXIT_OK if all(status in passing for status in statuses) else output.EXIT_FINDINGS
