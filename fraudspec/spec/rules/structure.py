"""Rules about the document's shape. Most are reported by the JSON Schema (check=None)."""

from __future__ import annotations

from collections.abc import Iterable

from fraudspec.spec.rules import Context, Issue, Rule


def _one_endpoint_kind(ctx: Context) -> Iterable[Issue]:
    endpoint = ctx.data["endpoint"]
    kinds = [kind for kind in ("serverless", "realtime") if endpoint.get(kind) is not None]
    if len(kinds) != 1:
        found = " and ".join(kinds) or "neither"
        yield Issue(
            ("endpoint",),
            f"an endpoint is either serverless or realtime; this one declares {found}",
            "keep exactly one of `serverless:` and `realtime:` (an override can switch with `serverless: null`)",
        )


RULES = (
    Rule("FS001", "the file is readable, valid YAML"),
    Rule("FS002", "no duplicate keys"),
    Rule("FS003", "no unknown keys"),
    Rule("FS004", "values have the right type"),
    Rule("FS005", "required keys are present"),
    Rule("FS006", "values are within their allowed range, set or form"),
    Rule("FS007", "the environment exists"),
    Rule("FS008", "the document is at most 1 MiB, 64 levels deep and 100,000 values once aliases are expanded"),
    Rule("FS009", "every number is finite (no .nan or .inf)"),
    Rule("FS107", "exactly one endpoint kind", _one_endpoint_kind),
)
