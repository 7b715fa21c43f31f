"""A readable summary of a saved plan, from `terraform show -json PLAN`.

Counts per action, one line per changed resource, and the endpoint events worth a word: a
replaced endpoint (deleted and recreated: downtime), a deleted one, and a new endpoint
configuration (an in-place update, which also resets an auto-scaled instance count).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

Action = Literal["create", "update", "replace", "delete"]
_ORDER: tuple[Action, ...] = ("create", "update", "replace", "delete")
_SYMBOL = {"create": "+", "update": "~", "replace": "-/+", "delete": "-"}
ENDPOINT = "aws_sagemaker_endpoint"
ENDPOINT_CONFIG = "aws_sagemaker_endpoint_configuration"


@dataclass(frozen=True)
class ResourceChange:
    address: str
    type: str
    action: Action
    replace_reasons: tuple[str, ...] = ()  # the arguments that force the replacement


@dataclass(frozen=True)
class PlanSummary:
    changes: tuple[ResourceChange, ...]

    def count(self, action: Action) -> int:
        return sum(1 for change in self.changes if change.action == action)

    @property
    def has_changes(self) -> bool:
        return bool(self.changes)

    def endpoint_action(self) -> Action | None:
        return next((c.action for c in self.changes if c.type == ENDPOINT), None)

    @property
    def endpoint_config_changed(self) -> bool:
        return any(c.type == ENDPOINT_CONFIG and c.action in ("create", "replace") for c in self.changes)

    def render(self) -> str:
        if not self.changes:
            return "No changes: the infrastructure matches terraform/ already."
        counts = ", ".join(f"{self.count(action)} to {action}" for action in _ORDER)
        lines = [f"Plan: {counts}."]
        for change in self.changes:
            reasons = f"  (forced by {', '.join(change.replace_reasons)})" if change.replace_reasons else ""
            lines.append(f"  {_SYMBOL[change.action]:>3} {change.address}{reasons}")
        endpoint = self.endpoint_action()
        if endpoint == "replace":
            lines.append("WARNING: the endpoint itself will be deleted and recreated: it is unavailable meanwhile.")
        elif endpoint == "delete":
            lines.append("WARNING: the endpoint will be deleted.")
        elif endpoint == "update" and self.endpoint_config_changed:
            lines.append("Note: the endpoint moves to a new configuration in place (no downtime); an auto-scaled "
                         "instance count returns to the configured one.")
        return "\n".join(lines)


def summarize(plan: Mapping[str, Any]) -> PlanSummary:
    changes = []
    for item in plan.get("resource_changes", []):
        if item.get("mode") == "data":
            continue
        action = _action(item["change"]["actions"])
        if action is None:
            continue
        reasons = tuple(".".join(str(step) for step in path) for path in item["change"].get("replace_paths", []))
        changes.append(ResourceChange(item["address"], item["type"], action,
                                      reasons if action == "replace" else ()))
    return PlanSummary(tuple(sorted(changes, key=lambda c: (_ORDER.index(c.action), c.address))))


def _action(actions: list[str]) -> Action | None:
    kinds = set(actions)
    if kinds == {"create", "delete"}:
        return "replace"  # either order: create-before-destroy or destroy-then-create
    if len(actions) == 1 and actions[0] in ("create", "update", "delete"):
        return actions[0]  # type: ignore[return-value]
    return None  # no-op, read
