"""Validation rules: each has a stable id, a summary and a check; see `registry.RULES`.

A check receives the effective document of one environment, already valid against the JSON
Schema and with the schema's defaults filled in (fraudspec.spec.defaults): its shape is known and
a defaulted key is always there. It yields `Issue`s naming a path into that document; the
framework, not the rule, turns the path into file:line:col (see fraudspec.spec.load).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal


@dataclass(frozen=True)
class Issue:
    path: tuple
    message: str
    hint: str = ""


@dataclass(frozen=True)
class Context:
    data: dict[str, Any]  # the effective document of `env`, defaults filled in
    env: str
    spec_dir: Path

    @property
    def environment(self) -> dict[str, Any]:
        return self.data["environments"][self.env]

    @property
    def env_path(self) -> tuple:
        return ("environments", self.env)

    def feature_names(self) -> list[str]:
        return [feature["name"] for feature in self.data["model"]["features"]]


Check = Callable[[Context], Iterable[Issue]]


@dataclass(frozen=True)
class Rule:
    id: str
    summary: str
    check: Check | None = None  # None: reported through the JSON Schema (`x-rule` in schema.json) or, for a
    # warning, by the cost estimate (fraudspec.cost.hints), which needs prices the spec stage does not have
    severity: Literal["error", "warning"] = "error"
