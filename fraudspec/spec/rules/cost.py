"""Cost rules: idle clean-up never on production (an error), and the cost estimate's warnings.

The warnings (FS91x) need prices, which live after this stage (fraudspec.cost.hints reports them);
they are listed here so that every rule id is in the one registry.
"""

from __future__ import annotations

from collections.abc import Iterable

from fraudspec.spec.rules import Context, Issue, Rule


def _no_idle_cleanup_in_production(ctx: Context) -> Iterable[Issue]:
    env = ctx.environment
    if env["production"] and env.get("idle_after_days") is not None:
        yield Issue(ctx.env_path + ("idle_after_days",),
                    f"environment '{ctx.env}' is production: its endpoint must never be deleted for being idle",
                    "remove idle_after_days, or production: true if this is not production")


RULES = (
    Rule("FS901", "idle clean-up is refused on production environments", _no_idle_cleanup_in_production),
    Rule("FS911", "monitoring windows hold the rows drift detection needs, else a longer schedule is cheaper",
         severity="warning"),
    Rule("FS912", "model-quality windows hold min_labels predictions, else a longer schedule is cheaper",
         severity="warning"),
    Rule("FS913", "capture samples no more than the checks need at the expected traffic", severity="warning"),
)
