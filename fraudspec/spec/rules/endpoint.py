"""Endpoint rules: serverless limits, what serverless cannot do, instance types, auto scaling."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from functools import lru_cache

from fraudspec.spec import aws_lists
from fraudspec.spec.rules import Context, Issue, Rule


@lru_cache(maxsize=1)
def _instance_types() -> frozenset[str]:
    return frozenset(aws_lists.load()["instance_types"])


def _provisioned_within_max(ctx: Context) -> Iterable[Issue]:
    serverless = ctx.data["endpoint"].get("serverless") or {}
    provisioned = serverless.get("provisioned_concurrency")  # optional: no default
    if provisioned is not None and provisioned > (maximum := serverless["max_concurrency"]):
        yield Issue(("endpoint", "serverless", "provisioned_concurrency"),
                    f"provisioned concurrency {provisioned} is above max_concurrency {maximum}",
                    f"lower provisioned_concurrency to at most {maximum}, or raise max_concurrency")


def _no_model_monitor_on_serverless(ctx: Context) -> Iterable[Issue]:
    if ctx.data["endpoint"].get("serverless") is None:
        return
    if ctx.data["monitoring"]["engine"] == "sagemaker":
        yield Issue(("monitoring", "engine"),
                    "monitoring engine 'sagemaker' cannot watch a serverless endpoint: AWS supports neither "
                    "data capture nor Model Monitor on serverless",
                    "use `engine: fraudspec` (it captures in the inference handler), or a realtime endpoint")


def _known_instance_type(ctx: Context) -> Iterable[Issue]:
    realtime = ctx.data["endpoint"].get("realtime")
    if realtime is not None and (instance_type := realtime["instance_type"]) not in _instance_types():
        close = difflib.get_close_matches(instance_type, sorted(_instance_types()), n=3)
        hint = f"did you mean {', '.join(close)}?" if close else "see the SageMaker hosting instance types"
        yield Issue(("endpoint", "realtime", "instance_type"),
                    f"'{instance_type}' is not a SageMaker hosting instance type", hint)


def _autoscaling_bounds(ctx: Context) -> Iterable[Issue]:
    realtime = ctx.data["endpoint"].get("realtime")
    scaling = None if realtime is None else realtime.get("autoscaling")
    if scaling is None:
        return
    low, high = scaling["min"], scaling["max"]
    path = ("endpoint", "realtime", "autoscaling")
    if low > high:
        yield Issue(path + ("min",), f"autoscaling min {low} is above max {high}", "make min <= max")
        return
    count = realtime["instance_count"]
    if not low <= count <= high:
        yield Issue(("endpoint", "realtime", "instance_count"),
                    f"instance_count {count} is outside autoscaling min..max ({low}..{high})",
                    f"set instance_count between {low} and {high}")


RULES = (
    Rule("FS101", "serverless memory is 1024..6144 MB in steps of 1024"),
    Rule("FS102", "serverless max concurrency is 1..200"),
    Rule("FS103", "provisioned concurrency is 1..200 and at most max concurrency", _provisioned_within_max),
    Rule("FS104", "no Model Monitor (engine sagemaker) on serverless endpoints", _no_model_monitor_on_serverless),
    Rule("FS105", "no realtime-only fields under serverless"),
    Rule("FS106", "realtime instance types are SageMaker hosting instance types", _known_instance_type),
    Rule("FS108", "auto scaling bounds are consistent", _autoscaling_bounds),
)
