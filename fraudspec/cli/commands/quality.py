"""`fraudspec monitor quality --env E`: one model-quality execution, its table printed and its reports written.

`fraudspec monitor` attaches it as a subcommand: `add_quality_arguments(parser)` on the subparser,
`run_quality_command(args)` to run it. Without --start/--end the predictions are those of the previous
full UTC hour shifted back by label_delay_hours, as the schedule would take them; `--start earliest`
evaluates everything captured so far; on a local target without options, the predictions captured
since the previous such run. Labels are every one that has arrived (by hour folder) by now.
Exit codes: 0 Completed or InsufficientData (too few labels is never a violation); 3
CompletedWithViolations or Failed; 1 a user error.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from fraudspec.cli import options, output

PASSING = ("Completed", "InsufficientData")


def add_quality_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_monitoring_arguments(parser)
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

    local = run_quality_since_last(spec)
    doc = quality_document(local.result, local.written, ground_truth=default_ground_truth(spec), on_demand=True)
    return _print(args, spec.environment.name, doc, transitions_json(local.transitions))


def run_quality_command(args: argparse.Namespace) -> int:
    spec = options.load(args)
    from fraudspec.monitoring.jobs.for_spec import (
        JobRequest,
        default_capture,
        default_ground_truth,
        model_quality,
        run_quality_for_spec,
    )
    from fraudspec.reports.quality import quality_document

    model_quality(spec)  # a spec without model quality fails here, before any path is resolved
    ground_truth = args.ground_truth or default_ground_truth(spec)
    start, end, earliest = options.requested_window(args)
    capture = args.capture or default_capture(spec)
    request = JobRequest(capture=capture, ground_truth=ground_truth, output=args.output, start=start, end=end,
                         from_earliest=earliest)
    outcome = run_quality_for_spec(spec, request)
    result = outcome.result
    code = _print(args, spec.environment.name, quality_document(result, outcome.reports, capture, ground_truth), [])
    if args.format != "text":
        return code
    if result.counts.predictions == 0 and not earliest:
        output.say(f"\nhint: nothing was captured in this window; `--start {options.EARLIEST}` evaluates everything "
                   "captured so far")
    elif result.counts.predictions and not result.counts.labelled:
        output.say(f"\nhint: no prediction of this window has a label yet; labels go under {ground_truth}/yyyy/mm/dd/"
                   "hh/ (the hour they arrive), keyed by each request's inference id")
    return code


def transitions_json(transitions: Sequence[Any]) -> list[dict[str, str]]:
    """The local alarms' state changes a run caused."""
    return [{"alarm": t.alarm, "metric": t.metric, "old": t.old, "new": t.new, "reason": t.reason}
            for t in transitions]


def _print(args: argparse.Namespace, env: str, doc: dict[str, Any], transitions: list[dict[str, str]]) -> int:
    from fraudspec.reports.quality import render

    output.emit(args.format, output.document("monitor quality", environment=env, **doc, alarm_changes=transitions),
                render)
    return output.EXIT_OK if doc["status"] in PASSING else output.EXIT_FINDINGS
