"""A small runner over the `terraform` (or `tofu`) binary.

Why our own: python-terraform is unmaintained and broken on Terraform >= 0.15. Every call passes
`-input=false`, exit codes are handled explicitly (`plan -detailed-exitcode`: 0 no changes,
1 error, 2 changes), and variables travel only in the child's environment (`TF_VAR_*`), never in
files or on the command line.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fraudspec.core.errors import FraudspecError

ENV_BINARY = "FRAUDSPEC_TERRAFORM"
CANDIDATES = ("terraform", "tofu")
_TAIL_LINES = 40


def find_binary(environ: Mapping[str, str] = os.environ) -> Path:
    """`$FRAUDSPEC_TERRAFORM` (a path or a name on PATH), else terraform, else tofu on PATH."""
    chosen = environ.get(ENV_BINARY)
    if chosen:
        found = shutil.which(chosen, path=environ.get("PATH"))
        if not found:
            raise FraudspecError(f"{ENV_BINARY}={chosen} is not an executable",
                                 hint="point it at a terraform or tofu binary, or unset it to search PATH")
        return Path(found)
    for name in CANDIDATES:
        found = shutil.which(name, path=environ.get("PATH"))
        if found:
            return Path(found)
    raise FraudspecError("neither terraform nor tofu is on PATH",
                         hint=f"install Terraform >= 1.10 or OpenTofu >= 1.10, or set {ENV_BINARY}")


@dataclass(frozen=True)
class Terraform:
    binary: Path
    workdir: Path
    variables: Mapping[str, str] = field(default_factory=dict)  # -> TF_VAR_<name> in the child only
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))

    def init(self, backend_config: Mapping[str, str] | None = None, *, backend: bool = True) -> None:
        """`backend=False` skips the state backend: enough for `validate`, no credentials needed."""
        args = ["init", "-input=false", "-no-color"]
        args += [f"-backend-config={key}={value}" for key, value in sorted((backend_config or {}).items())]
        if not backend:
            args.append("-backend=false")
        self._run(args, ok=(0,))

    def plan(self, out: Path, *, destroy: bool = False) -> bool:
        """Write a saved plan to `out`; True when it has changes."""
        args = ["plan", "-input=false", "-no-color", "-detailed-exitcode", f"-out={out}"]
        if destroy:
            args.append("-destroy")
        return self._run(args, ok=(0, 2)).returncode == 2

    def show_json(self, plan: Path) -> dict[str, Any]:
        return self.run_json(["show", "-json", "-no-color", str(plan)])

    def apply(self, plan: Path) -> None:
        """Apply a saved plan; progress streams to the terminal."""
        self._run(["apply", "-input=false", "-no-color", str(plan)], ok=(0,), stream=True)

    def outputs(self) -> dict[str, Any]:
        raw = self.run_json(["output", "-json", "-no-color"])
        return {name: item.get("value") for name, item in raw.items()}

    def validate(self) -> dict[str, Any]:
        """Terraform's diagnostics; exit 1 just means "invalid", which the JSON reports."""
        return self.run_json(["validate", "-json", "-no-color"], ok=(0, 1))

    def run_json(self, args: Sequence[str], ok: Sequence[int] = (0,)) -> Any:
        return json.loads(self._run(args, ok=ok).stdout)

    def _run(self, args: Sequence[str], *, ok: Sequence[int], stream: bool = False) -> subprocess.CompletedProcess:
        env = {**self.environ, "TF_IN_AUTOMATION": "1"}
        env.update({f"TF_VAR_{name}": value for name, value in self.variables.items()})
        command = [str(self.binary), f"-chdir={self.workdir}", *args]
        try:
            result = subprocess.run(command, env=env, text=True, stdin=subprocess.DEVNULL,
                                    stdout=None if stream else subprocess.PIPE, stderr=subprocess.PIPE)
        except OSError as error:
            raise FraudspecError(f"cannot run {self.binary}: {error}",
                                 hint=f"check the binary, or set {ENV_BINARY}") from None
        if result.returncode not in ok:
            raise FraudspecError(f"`{self.binary.name} {args[0]}` failed (exit {result.returncode}) in "
                                 f"{self.workdir}:\n{_tail(result.stderr or result.stdout or '')}",
                                 hint=_hint(args[0]))
        return result


def _tail(text: str) -> str:
    lines = text.strip().splitlines()
    return "\n".join(lines[-_TAIL_LINES:])


def _hint(command: str) -> str:
    if command == "init":
        return "check the state backend settings and that the hashicorp/aws provider can be installed"
    return "see the message above; `terraform " + command + "` in that directory reproduces it"
