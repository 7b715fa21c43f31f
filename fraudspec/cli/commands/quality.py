"""`fraudspec monitor quality --env E`: one model-quality execution, its table printed and its reports written.

`fraudspec monitor` attaches it as a subcommand: `add_quality_arguments(parser)` on the subparser,
`run_quality_command(args)` to run it. Without --start/--end the predictions are those of the previous
full UTC hour shifted back by label_delay_hours, as the schedule would take them; `--start earliest`
evaluates everything captured so far. Labels are every one that has arrived (by hour folder) by now.
"""

from __future__ import annotations

import argparse

from fraudspec.cli import options


def add_quality_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_monitoring_arguments(parser)
    parser.add_argument("--ground-truth", metavar="PATH|s3://BUCKET/PREFIX",
                        help="ground-truth root holding yyyy/mm/dd/hh/*.jsonl (default: monitoring.model_quality."
                             "ground_truth, else build/<env>/ground-truth locally, the environment's bucket on aws)")


def run_quality_command(args: argparse.Namespace) -> int:
    spec = options.load(args)
    from fraudspec.monitoring.jobs.for_spec import (
        JobRequest,
        default_capture,
        default_ground_truth,
        model_quality,
        run_quality_for_spec,
    )
    from fraudspec.reports.quality import render

    model_quality(spec)  # a spec without model quality fails here, before any path is resolved
    start, end, earliest = options.requested_window(args)
    capture = args.capture or default_capture(spec)
    ground_truth = args.ground_truth or default_ground_truth(spec)
    request = JobRequest(capture=capture, ground_truth=ground_truth, output=args.output, start=start, end=end,
                             from_earliest=earliest)
    outcome = run_quality_for_spec(spec, request)
    result = outcome.result
    print(render(result, outcome.reports, capture, ground_truth))
    if result.counts.predictions == 0 and not earliest:
        print(
            f"\nhint: nothing was captured in this window; `--start {options.EARLIEST}` evaluates everything "
            "captured so far"
        )
    elif result.counts.predictions and not result.counts.labelled:
        print(
            f"\nhint: no prediction of this window has a label yet; labels go under {ground_truth}/yyyy/mm/dd/hh/ "
            "(the hour they arrive), keyed by each request's inference id"
        )
    return 0
