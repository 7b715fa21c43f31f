"""Estimates as people read them: a table per environment, JSON, and the one-line change a review shows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fraudspec.cost.estimate import Estimate
from fraudspec.cost.prices import PRICES_FILE, PriceTable


def money(amount: float) -> str:
    """$1,043 from $100 up (what a reviewer compares); cents below."""
    return f"${amount:,.0f}" if amount >= 100 else f"${amount:,.2f}"


def text(estimates: Sequence[Estimate]) -> str:
    blocks = []
    for found in estimates:
        rows = [(line.component, line.item, money(line.monthly), line.formula) for line in found.lines]
        widths = [max(len(row[i]) for row in [("component", "item", "a month", "formula"), *rows]) for i in range(3)]
        header = ("component", "item", "a month", "formula")
        lines = [f"{found.env} ({found.region}, {found.endpoint}): {money(found.total)} a month"]
        for row in (header, *rows):
            lines.append("  " + "  ".join([row[0].ljust(widths[0]), row[1].ljust(widths[1]),
                                           row[2].rjust(widths[2]), row[3]]).rstrip())
        blocks.append("\n".join(lines))
    as_of = estimates[0].as_of if estimates else ""
    footer = (f"Prices: AWS list prices as of {as_of} ({PRICES_FILE.name}, not verified against AWS here); "
              "traffic: each environment's expected_traffic.")
    return "\n\n".join([*blocks, footer]) + "\n"


def as_json(estimates: Sequence[Estimate], table: PriceTable | None) -> dict[str, Any]:
    return {
        "prices": {"as_of": table.as_of if table else None, "source": table.data["source"] if table else None,
                   "verified": table.data["verified"] if table else None, "currency": "USD"},
        "environments": {found.env: {
            "region": found.region,
            "endpoint": found.endpoint,
            "monthly_usd": round(found.total, 2),
            "lines": [{"component": line.component, "item": line.item, "formula": line.formula,
                       "inputs": _rounded(line.inputs), "monthly_usd": round(line.monthly, 4)}
                      for line in found.lines],
        } for found in estimates},
    }


def change_line(env: str, before: Estimate | None, after: Estimate | None, arrow: str) -> str:
    """"staging: $212 -> $1,043 a month: realtime ml.m5.xlarge x 2", for an environment that changes."""
    if after is None:
        return f"{env}: {money(before.total) if before else '$0'} {arrow} $0 a month: environment removed"
    if before is None:
        return f"{env}: {money(after.total)} a month (new): {after.endpoint}"
    if money(before.total) == money(after.total):
        return f"{env}: {money(after.total)} a month, unchanged: {after.endpoint}"
    return f"{env}: {money(before.total)} {arrow} {money(after.total)} a month: {after.endpoint}"


def _rounded(inputs: dict[str, Any]) -> dict[str, Any]:
    """Inputs as written, floats to 6 significant digits: stable across platforms and readable."""
    return {key: float(f"{value:.6g}") if isinstance(value, float) else value for key, value in inputs.items()}
