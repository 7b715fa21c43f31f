"""Model-quality rules: its schedule, metric bounds that can fire the right way, where labels live, what it needs."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from fraudspec.spec import schedule
from fraudspec.spec.rules import Context, Issue, Rule

# Error rates: lower is better, so only a max makes sense; every other metric is better higher.
LOWER_IS_BETTER = frozenset({"false_positive_rate", "false_negative_rate"})
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_PATH = ("monitoring", "model_quality")


def _quality(ctx: Context) -> dict[str, Any] | None:
    return ctx.data["monitoring"].get("model_quality")


def _schedule_valid(ctx: Context) -> Iterable[Issue]:
    quality = _quality(ctx)
    if quality is None:
        return
    # Always fraudspec's own job (EventBridge Scheduler), whatever monitoring.engine says.
    problem = schedule.problem(quality["schedule"], "fraudspec")
    if problem:
        yield Issue(_PATH + ("schedule",), problem.message, problem.hint)


def _bounds_sensible(ctx: Context) -> Iterable[Issue]:
    quality = _quality(ctx)
    if quality is None:
        return
    for metric, bound in quality["metrics"].items():
        path = _PATH + ("metrics", metric)
        kind = next(iter(bound))  # the schema guarantees exactly one of min/max
        value = bound[kind]
        wanted = "max" if metric in LOWER_IS_BETTER else "min"
        if kind != wanted:
            better = "lower" if metric in LOWER_IS_BETTER else "higher"
            yield Issue(path, f"{metric} is better {better}, so a {kind} bound fires when the model improves",
                        f"write `{metric}: {{{wanted}: {value}}}`")
        elif (kind, value) in (("min", 0), ("max", 1)):
            yield Issue(path, f"{metric} {{{kind}: {value}}} can never be violated",
                        f"use a bound strictly inside 0..1, or remove {metric} from metrics")


def _ground_truth_location(ctx: Context) -> Iterable[Issue]:
    quality = _quality(ctx)
    location = (quality or {}).get("ground_truth")
    if location is None:
        return
    path = _PATH + ("ground_truth",)
    if location.startswith("s3://"):
        bucket = location[len("s3://"):].split("/", 1)[0]
        if not _BUCKET.match(bucket):
            yield Issue(path, f"'{location}' does not name a valid S3 bucket",
                        "write s3://bucket/prefix; bucket names are 3-63 lowercase letters, digits, dots and hyphens")
    elif ctx.environment["target"] == "aws":
        yield Issue(path,
                    f"ground truth '{location}' is a local directory, which the monitoring job on AWS cannot read",
                    f"give an s3:// prefix, or leave ground_truth out to use the bucket of environment '{ctx.env}'")


def _not_model_monitor(ctx: Context) -> Iterable[Issue]:
    if _quality(ctx) is not None and ctx.data["monitoring"]["engine"] == "sagemaker":
        yield Issue(_PATH, "model_quality cannot run with monitoring engine 'sagemaker': the hashicorp/aws provider "
                           "has no model-quality job definition resource",
                    "use `engine: fraudspec` (it runs both data and model quality), or remove model_quality")


def _outputs_captured(ctx: Context) -> Iterable[Issue]:
    if _quality(ctx) is None:
        return
    capture = ctx.data["capture"]
    for key, off in (("enabled", False), ("output", False), ("sampling_percent", 0)):
        if capture[key] == off:
            yield Issue(("capture", key), f"model quality compares captured predictions with labels, but capture "
                        f"{key} is {str(off).lower()}, so no predictions are captured",
                        "capture outputs (enabled: true, output: true, sampling_percent > 0), or remove model_quality")
            return


RULES = (
    Rule("FS801", "the model-quality schedule is valid for EventBridge", _schedule_valid),
    Rule("FS802", "model-quality thresholds are fractions in [0, 1]"),
    Rule("FS803", "each model-quality metric has one bound, min for scores and max for error rates, that can fire",
         _bounds_sensible),
    Rule("FS804", "ground truth is a valid s3:// prefix, and is one on aws targets", _ground_truth_location),
    Rule("FS805", "no model quality with monitoring engine sagemaker", _not_model_monitor),
    Rule("FS806", "model quality has captured predictions to evaluate", _outputs_captured),
)
