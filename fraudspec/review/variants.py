"""The endpoint's variants as a reviewer reads them, and the variant changes a guarded rollout refuses.

SageMaker requires a blue/green update with a rollout policy to keep the old configuration's
variant names (AWS, "Deployment guardrails: Exclusions"); canary and linear shifting otherwise work
on multi-variant endpoints. A change that adds, removes or renames a variant under such a policy
therefore fails at apply time, so the review says it first.
"""

from __future__ import annotations

from typing import Any

from fraudspec.spec.model import CsvData, Spec, Variant
from fraudspec.spec.plain import to_plain

GUARDED = ("canary", "linear")  # the rollout strategies SageMaker holds to the old variant names


def describe(spec: Spec) -> str:
    """"AllTraffic 90 %, gbm A/B 10 %" or "AllTraffic 100 %, gbm shadow (copies 20 %)"."""
    return ", ".join(_variant(variant) for variant in spec.endpoint.variants)


def _variant(variant: Variant) -> str:
    share = f"{variant.weight * 100:g} %"
    if variant.role == "champion":
        return f"{variant.name} {share}"
    if variant.role == "ab":
        return f"{variant.name} A/B {share}"
    return f"{variant.name} shadow (copies {share})"


def has_challengers(spec: Spec | None) -> bool:
    return spec is not None and bool(spec.endpoint.challengers)


def variants_line(before: Spec | None, after: Spec | None, arrow: str) -> str | None:
    """The variants and their shares, old and new, when either version has challengers."""
    if not (has_challengers(before) or has_challengers(after)) or after is None:
        return None
    new = describe(after)
    if before is None or describe(before) == new:
        return new
    return f"{describe(before)} {arrow} {new}"


def guarded_rename(before: Spec | None, after: Spec | None) -> str | None:
    """Why SageMaker would refuse this update: the variant names change under a canary/linear rollout."""
    if before is None or after is None or after.endpoint.rollout is None:
        return None
    strategy = after.endpoint.rollout.strategy
    old = [variant.name for variant in before.endpoint.variants]
    new = [variant.name for variant in after.endpoint.variants]
    if strategy not in GUARDED or set(old) == set(new):
        return None
    added = [name for name in new if name not in old]
    removed = [name for name in old if name not in new]
    if len(added) == len(removed) == 1:
        change = f"renames {removed[0]} to {added[0]}"
    else:
        change = ", ".join([*(f"adds {name}" for name in added), *(f"removes {name}" for name in removed)])
    return (f"the endpoint's variants change ({change}) while endpoint.rollout is {strategy}: SageMaker refuses a "
            "guarded update whose new configuration changes the variant names. Apply the variant change with "
            f"`endpoint.rollout.strategy: all_at_once` first (or in a change of its own), then restore {strategy}")


def plain_challengers(spec: Spec) -> dict[str, Any]:
    """The challengers by variant name, each with only the model keys it changes from the champion's,
    so a review shows what the spec says (not the champion's features repeated)."""
    champion = to_plain(spec.model)
    found = {}
    for challenger in spec.endpoint.challengers:
        plain = to_plain(challenger)
        model = {key: value for key, value in plain.pop("model").items() if champion.get(key) != value}
        data = challenger.model.data
        if "data" in model and isinstance(data, CsvData) and data.path.is_relative_to(spec.root):
            model["data"] = {"csv": data.path.relative_to(spec.root).as_posix()}  # not where it is checked out
        del plain["variant"]
        found[challenger.variant] = {**plain, "model": model}
    return found
