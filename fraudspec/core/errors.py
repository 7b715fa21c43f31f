"""The one user-facing error type, and the location it points at.

Every stage raises `FraudspecError` for problems the user can fix; the CLI turns it into
exit code 1 (see `fraudspec.cli.main`). Anything else escaping a command is a bug (exit 2).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]  # a warning is shown but never fails validation


@dataclass(frozen=True, order=True)
class Location:
    file: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.file
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Finding:
    """One problem: what (rule + message), where (location) and how to fix it (hint)."""

    rule: str
    message: str
    location: Location | None = None
    hint: str = ""
    severity: Severity = "error"

    def sort_key(self) -> tuple:
        loc = self.location or Location("")
        return (loc.file, loc.line, loc.col, self.rule, self.message)

    def as_dict(self) -> dict:
        loc = self.location
        return {
            "rule": self.rule,
            "message": self.message,
            "file": loc.file if loc else None,
            "line": loc.line if loc else None,
            "col": loc.col if loc else None,
            "hint": self.hint,
            "severity": self.severity,
        }

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        said = "warning: " if self.severity == "warning" else ""
        text = f"{where}{self.rule} {said}{self.message}"
        return f"{text}\n    hint: {self.hint}" if self.hint else text


class FraudspecError(Exception):
    """A problem the user can fix. Carries one or more findings (what, where, how to fix)."""

    def __init__(
        self,
        message: str = "",
        *,
        location: Location | None = None,
        hint: str = "",
        rule: str = "FS000",
        findings: tuple[Finding, ...] | list[Finding] = (),
    ) -> None:
        if not findings:
            findings = (Finding(rule, message, location, hint),)
        self.findings: tuple[Finding, ...] = tuple(sorted(findings, key=Finding.sort_key))
        super().__init__(message or f"{len(self.findings)} problem(s) found")

    @property
    def location(self) -> Location | None:
        return self.findings[0].location

    @property
    def hint(self) -> str:
        return self.findings[0].hint
