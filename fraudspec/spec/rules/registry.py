"""The one registry of validation rules. Adding a rule: write it in a topic module, list the module here."""

from __future__ import annotations

from fraudspec.spec.rules import (
    Rule,
    alarms,
    capture,
    challengers,
    cost,
    endpoint,
    environments,
    model,
    monitoring,
    naming,
    quality,
    rollout,
    structure,
)


def _register(*groups: tuple[Rule, ...]) -> dict[str, Rule]:
    registry: dict[str, Rule] = {}
    for group in groups:
        for rule in group:
            if rule.id in registry:
                raise RuntimeError(f"duplicate rule id {rule.id}")
            registry[rule.id] = rule
    return dict(sorted(registry.items()))


RULES: dict[str, Rule] = _register(
    structure.RULES, endpoint.RULES, monitoring.RULES, naming.RULES, environments.RULES, alarms.RULES, model.RULES,
    quality.RULES, rollout.RULES, cost.RULES, capture.RULES, challengers.RULES,
)
