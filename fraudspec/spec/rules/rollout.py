"""Rollout rules: what SageMaker's deployment guardrails accept for the endpoint's kind.

AWS's "Exclusions" page (sagemaker/latest/dg/deployment-guardrails-exclusions) says endpoints on
Inf1 instances fall back to all-at-once with no baking, and rolling updates (not offered here)
exclude serverless and multi-variant endpoints. The TrafficRoutingConfig API reference sizes a
canary (at most 50 %) and a linear step (10..50 %) as shares of the variant's instance count, which
a serverless endpoint does not have.
"""

from __future__ import annotations

from collections.abc import Iterable

from fraudspec.spec.model import Rollout
from fraudspec.spec.rules import Context, Issue, Rule

PATH = ("endpoint", "rollout")
MAX_ROLLOUT_SECONDS = 14400  # BlueGreenUpdatePolicy.MaximumExecutionTimeoutInSeconds, which must exceed the waits
MAX_ROLLBACK_ALARMS = 10  # AutoRollbackConfig.Alarms
# The alarm a rollback key names: its switch in `alarms`, and whether only realtime endpoints have it.
ENDPOINT_ALARMS = {"model_latency": ("model_latency_ms", False), "overhead_latency": ("overhead_latency_ms", False),
                   "error_4xx_rate": ("error_4xx_percent", False), "error_5xx_rate": ("error_5xx_percent", False),
                   "cpu": ("cpu_percent", True), "memory": ("memory_percent", True)}


def _rollout(ctx: Context) -> dict | None:
    return ctx.data["endpoint"].get("rollout")


def _shifting_needs_instances(ctx: Context) -> Iterable[Issue]:
    rollout = _rollout(ctx)
    if rollout is None or rollout["strategy"] == "all_at_once" or ctx.data["endpoint"].get("serverless") is None:
        return
    yield Issue(PATH + ("strategy",),
                f"a {rollout['strategy']} rollout shifts traffic by shares of the variant's instances, and a "
                "serverless endpoint has none: SageMaker updates serverless endpoints all at once",
                "use `strategy: all_at_once` (rollback alarms still apply), or a realtime endpoint")


def _not_on_inferentia(ctx: Context) -> Iterable[Issue]:
    rollout, realtime = _rollout(ctx), ctx.data["endpoint"].get("realtime")
    if rollout is None or rollout["strategy"] == "all_at_once" or realtime is None:
        return
    if realtime["instance_type"].startswith("ml.inf1."):
        yield Issue(PATH + ("strategy",),
                    f"SageMaker ignores a {rollout['strategy']} rollout on Inf1 instances "
                    f"({realtime['instance_type']}) and shifts all traffic at once with no baking",
                    "use `strategy: all_at_once`, or a non-Inf1 instance type")


def _rollback_alarms_exist(ctx: Context) -> Iterable[Issue]:
    rollout = _rollout(ctx)
    if rollout is None:
        return
    endpoint, alarms = ctx.data["endpoint"], ctx.data["alarms"]
    quality = ctx.data["monitoring"].get("model_quality") or {}
    count = len(rollout["rollback_on"]) - ("model_quality" in rollout["rollback_on"]) + \
        len(quality.get("metrics") or {}) * ("model_quality" in rollout["rollback_on"])
    if count > MAX_ROLLBACK_ALARMS:
        yield Issue(PATH + ("rollback_on",),
                    f"{count} rollback alarms; SageMaker watches at most {MAX_ROLLBACK_ALARMS}",
                    "name fewer alarms in rollback_on")
    for index, key in enumerate(rollout["rollback_on"]):
        where = PATH + ("rollback_on", index)
        if key == "model_quality":
            quality = ctx.data["monitoring"].get("model_quality")
            if quality is None or not ctx.data["monitoring"]["enabled"] or not quality.get("metrics"):
                yield Issue(where, "rollback on model_quality, but no model-quality alarm is declared",
                            "add monitoring.model_quality.metrics thresholds, or drop model_quality")
            continue
        setting, realtime_only = ENDPOINT_ALARMS[key]
        if realtime_only and endpoint.get("realtime") is None:
            yield Issue(where, f"rollback on {key}, but serverless endpoints publish no {key} metric",
                        f"drop {key} from rollback_on")
        elif alarms.get(setting) is None:
            yield Issue(where, f"rollback on {key}, but alarms.{setting} is null (the alarm is switched off)",
                        f"set alarms.{setting}, or drop {key} from rollback_on")


def _step_fits_strategy(ctx: Context) -> Iterable[Issue]:
    rollout = _rollout(ctx)
    if rollout is None:
        return
    strategy, percent = rollout["strategy"], rollout.get("percent")
    if strategy == "all_at_once" and percent is not None:
        yield Issue(PATH + ("percent",), "an all_at_once rollout moves all traffic in one step: percent means nothing",
                    "drop percent, or choose `strategy: canary` or `linear`")
    elif strategy != "all_at_once" and percent is None:
        yield Issue(PATH, f"a {strategy} rollout needs percent", "e.g. `percent: 10`")
    elif strategy == "linear" and percent is not None and percent < 10:
        yield Issue(PATH + ("percent",), f"linear steps of {percent} %: SageMaker takes 10..50 %",
                    "set percent between 10 and 50")
    else:
        waiting = Rollout(**{**rollout, "rollback_on": tuple(rollout["rollback_on"])}).waiting_seconds
        if waiting >= MAX_ROLLOUT_SECONDS:
            yield Issue(PATH, f"the rollout waits {waiting} s in all; SageMaker ends an update after "
                              f"{MAX_ROLLOUT_SECONDS} s",
                        "shorten wait_seconds or final_bake_seconds, or take larger steps")


RULES = (
    Rule("FS171", "canary and linear rollouts need a realtime endpoint", _shifting_needs_instances),
    Rule("FS172", "no canary or linear rollout on Inf1 instances", _not_on_inferentia),
    Rule("FS173", "each rollback alarm is declared for the endpoint", _rollback_alarms_exist),
    Rule("FS174", "the rollout's step fits its strategy (canary 1..50 %, linear 10..50 %, none for all at once) "
                  "and its waits fit SageMaker's 4 hours",
         _step_fits_strategy),
)
