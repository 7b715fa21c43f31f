"""Challenger rules: what SageMaker hosts beside a champion, and what a challenger may change.

aws-facts: serverless endpoints take neither several production variants nor a shadow variant; a
realtime endpoint takes up to 10 production variants, and a shadow test is exactly one production
plus one shadow variant.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path

from fraudspec.spec.parse import challenger_model
from fraudspec.spec.rules import Context, Issue, Rule
from fraudspec.spec.rules.model import HYPERPARAMETERS

PATH = ("endpoint", "challengers")


def _challengers(ctx: Context) -> list[dict]:
    return ctx.data["endpoint"]["challengers"]


def _need_instances(ctx: Context) -> Iterable[Issue]:
    if _challengers(ctx) and ctx.data["endpoint"].get("serverless") is not None:
        yield Issue(PATH, "a serverless endpoint hosts one variant: SageMaker takes no A/B or shadow variants on it",
                    "serve challengers from a realtime endpoint (`endpoint.realtime`), or drop `challengers`")


def _distinct_names(ctx: Context) -> Iterable[Issue]:
    seen = {ctx.data["endpoint"]["variant"]}
    for index, challenger in enumerate(_challengers(ctx)):
        if challenger["variant"] in seen:
            yield Issue(PATH + (index, "variant"), f"variant name '{challenger['variant']}' is already taken",
                        "give each challenger a name of its own, different from `endpoint.variant`")
        seen.add(challenger["variant"])


def _shadow_alone(ctx: Context) -> Iterable[Issue]:
    shadows = [index for index, c in enumerate(_challengers(ctx)) if c["mode"] == "shadow"]
    if shadows and len(_challengers(ctx)) > 1:
        yield Issue(PATH + (shadows[-1 if len(shadows) > 1 else 0], "mode"),
                    "a shadow test is one production variant and one shadow variant: SageMaker takes no other "
                    "challenger beside a shadow",
                    "keep one shadow challenger, or make them all `mode: ab`")


def _champion_keeps_traffic(ctx: Context) -> Iterable[Issue]:
    shares = [(index, c["percent"]) for index, c in enumerate(_challengers(ctx)) if c["mode"] == "ab"]
    total = sum(percent for _, percent in shares)
    if total > 99:
        yield Issue(PATH + (shares[-1][0], "percent"),
                    f"the A/B challengers answer {total} % of requests; the champion must keep at least 1 %",
                    "lower the challengers' percent (their sum at most 99); promote a challenger by making it the "
                    "champion's `model`")


def _known_hyperparameters(ctx: Context) -> Iterable[Issue]:
    # Only a challenger's own hyperparameters can be wrong: inherited ones passed the model rules,
    # and a challenger that changes the algorithm inherits none.
    for index, challenger in enumerate(_challengers(ctx)):
        algorithm = challenger_model(ctx.data["model"], challenger["model"])["algorithm"]
        allowed = HYPERPARAMETERS[algorithm]
        for name in challenger["model"].get("hyperparameters") or ():  # absent: none of its own
            if name not in allowed:
                close = difflib.get_close_matches(name, sorted(allowed), n=1)
                hint = f"did you mean '{close[0]}'?" if close else f"{algorithm} takes: {', '.join(sorted(allowed))}"
                yield Issue(PATH + (index, "model", "hyperparameters", name),
                            f"'{name}' is not a {algorithm} hyperparameter", hint)


def _csv_exists(ctx: Context) -> Iterable[Issue]:
    for index, challenger in enumerate(_challengers(ctx)):
        csv = (challenger["model"].get("data") or {}).get("csv")  # absent: the champion's data
        if csv is not None and not (ctx.spec_dir / Path(csv)).is_file():
            yield Issue(PATH + (index, "model", "data", "csv"),
                        f"training data '{csv}' does not exist (looked in {ctx.spec_dir / Path(csv)})",
                        "give a CSV path relative to the spec file")


def _own_engine(ctx: Context) -> Iterable[Issue]:
    if _challengers(ctx) and ctx.data["monitoring"]["engine"] == "sagemaker":
        yield Issue(("monitoring", "engine"),
                    "Model Monitor's schedule watches the endpoint's capture as a whole, not each variant's: "
                    "challengers need the fraudspec engine to be monitored side by side",
                    "use `engine: fraudspec`, or drop `endpoint.challengers`")


RULES = (
    Rule("FS181", "challengers need a realtime endpoint", _need_instances),
    Rule("FS182", "every variant has a name of its own", _distinct_names),
    Rule("FS183", "a shadow challenger is the only challenger", _shadow_alone),
    Rule("FS184", "the champion keeps at least 1 % of requests", _champion_keeps_traffic),
    Rule("FS185", "a challenger's hyperparameters belong to its algorithm, and its CSV exists",
         lambda ctx: (*_known_hyperparameters(ctx), *_csv_exists(ctx))),
    Rule("FS186", "challengers are monitored by the fraudspec engine", _own_engine),
)
