"""The comparison as plain text (terminals) or Markdown (a pull-request comment)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from fraudspec.core.plain_diff import show
from fraudspec.review.changes import EnvDiff, ResourceChange

# The workflow finds its earlier comment by this marker and updates it instead of adding another.
MARKER = "<!-- fraudspec-diff -->"
SYMBOL = {"create": "+", "update": "~", "replace": "-/+", "delete": "-"}
MAX_ATTRIBUTES = 4  # per resource; the rest are counted
MAX_VALUE = 60  # characters; longer values keep their start and end


def text(diffs: Sequence[EnvDiff], against: str, spec: str) -> str:
    lines = [f"fraudspec diff against {against} ({spec})", ""]
    for diff in diffs:
        lines += environment_lines(diff)
    if not diffs:
        lines.append("no aws environments")
    return "\n".join(lines) + "\n"


def environment_lines(diff: EnvDiff) -> list[str]:
    lines = [f"{diff.env}: {diff.summary('->')}", *(f"  cost: {line}" for line in diff.cost[:1]),
             *(f"  variants: {line}" for line in diff.variants[:1])]
    if diff.status in ("added", "removed"):
        lines += [f"  {change.text('->')}" for change in diff.artifacts]
    lines += [f"  WARNING: {flag}" for flag in diff.flags]
    lines += [f"  note: {note}" for note in diff.notes]
    lines += [f"  warning: {warning}" for warning in diff.warnings]
    if diff.resources:
        lines.append(f"  {diff.terraform_dir}: {_count(diff.resources)}")
        for change in diff.resources:
            lines.append(f"    {SYMBOL[change.action]:>3} {change.address}")
            lines += [f"          {line}" for line in _attributes(change, "->")]
    return lines


def markdown(diffs: Sequence[EnvDiff], against: str, spec: str) -> str:
    """Blocks separated by one blank line: a summary table, then a section per changed environment."""
    blocks = [[MARKER, f"### fraudspec diff against `{against}`"], [f"Spec `{spec}`: what changes where."]]
    if not diffs:
        blocks.append(["No aws environments."])
    else:
        blocks.append(["| environment | changes |", "|---|---|",
                       *(f"| {diff.env} | {_md(diff.summary('→'))} |" for diff in diffs)])
    for diff in diffs:
        if diff.status == "unchanged" and not diff.warnings:
            continue
        blocks.append([f"#### {diff.env}"])
        blocks += [[f"**Cost:** {_md(line)}"] for line in diff.cost[1:]]
        blocks += [[f"**Variants:** {_md(line)}"] for line in diff.variants[1:]]
        bullets = diff.lines("→")
        if bullets:
            blocks.append([f"- {_md(bullet)}" for bullet in bullets])
        for kind, messages in (("WARNING", diff.flags), ("NOTE", diff.notes), ("WARNING", diff.warnings)):
            blocks += [[f"> [!{kind}]", f"> {_md(message)}"] for message in messages]
        if diff.resources:
            blocks.append([f"<details><summary>{diff.terraform_dir}: {_count(diff.resources)}</summary>"])
            rows = [f"| {SYMBOL[change.action]} | `{change.address}` | "
                    f"{'<br>'.join(_attributes(change, '→', markdown=True))} |" for change in diff.resources]
            blocks.append(["| | address | changed |", "|---|---|---|", *rows])
            blocks.append(["</details>"])
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"


def _count(resources: Sequence[ResourceChange]) -> str:
    return f"{len(resources)} change" + ("" if len(resources) == 1 else "s")


def _attributes(change: ResourceChange, arrow: str, *, markdown: bool = False) -> list[str]:
    shown = change.attributes[:MAX_ATTRIBUTES]
    if markdown:
        lines = [f"`{path}`: {_md(_value(old))} {arrow} {_md(_value(new))}" for path, old, new in shown]
    else:
        lines = [f"{path}: {_value(old)} {arrow} {_value(new)}" for path, old, new in shown]
    hidden = len(change.attributes) - MAX_ATTRIBUTES
    return [*lines, f"... and {hidden} more"] if hidden > 0 else lines


def _value(value: Any) -> str:
    shown = show(value)
    if len(shown) <= MAX_VALUE:
        return shown
    half = (MAX_VALUE - 3) // 2
    return f"{shown[:half]}...{shown[-half:]}"


def _md(line: str) -> str:
    """Literal text in a Markdown table cell or list item; `code spans` (in hints) stay code, unescaped
    (a backslash inside a code span would show)."""
    parts = line.split("`")
    return "`".join(part if index % 2 else re.sub(r"([\\*_|<>\[\]])", r"\\\1", part)
                    for index, part in enumerate(parts))


def invalid(findings: Sequence[str], against: str, spec: str, *, markdown_format: bool) -> str:
    """What `diff` prints when it cannot compare (a version of the spec does not load, an unknown ref):
    the findings, so a pull-request comment says why instead of being empty."""
    if not markdown_format:
        return "\n".join([f"fraudspec diff against {against} ({spec}): nothing was compared", "",
                          *findings]) + "\n"
    blocks = [[MARKER, f"### fraudspec diff against `{against}`"],
              ["> [!CAUTION]", f"> Nothing was compared for spec `{spec}`:"],
              ["```", *findings, "```"]]
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"
