"""The side virtualenvs holding SageMaker's scikit-learn serving stacks, cached under build/stacks/.

`python -m tests.stacks.venvs` (what `make stacks` runs) creates each one that is missing or whose
requirements changed; the tests use them as they are. One virtualenv per image:
- sklearn-1.2-1: Python 3.9 (from pyenv: PYENV_VERSION=3.9.18 python3.9), the 1.2-1 image's pins;
- sklearn-1.4-2: Python 3.11, the 1.4-2 image's pins, with the one-line patch its Dockerfile applies
  to sagemaker-containers (collections.Mapping moved to collections.abc in Python 3.10).
The container's own serving package (not on PyPI) is vendored in tests/stacks/vendor/.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
VENDOR = HERE / "vendor"
CACHE = ROOT / "build" / "stacks"


@dataclass(frozen=True)
class Stack:
    name: str  # the image tag it reproduces
    python: tuple[str, ...]  # the command that runs the image's Python version
    environment: tuple[tuple[str, str], ...]
    requirements: Path
    patch_mapping: bool  # sagemaker-containers needs collections.abc on Python >= 3.10

    @property
    def directory(self) -> Path:
        return CACHE / f"sklearn-{self.name}"

    @property
    def bin(self) -> Path:
        return self.directory / "bin"

    @property
    def stamp(self) -> Path:
        digest = hashlib.sha256(self.requirements.read_bytes()).hexdigest()[:12]
        return self.directory / f".ready-{digest}"

    def ready(self) -> bool:
        return self.stamp.is_file()


def _python311() -> tuple[str, ...]:
    return (sys.executable,) if sys.version_info[:2] == (3, 11) else ("python3.11",)


STACKS = (
    Stack("1.2-1", ("python3.9",), (("PYENV_VERSION", "3.9.18"),), HERE / "requirements-1.2-1.txt", False),
    Stack("1.4-2", _python311(), (), HERE / "requirements-1.4-2.txt", True),
)


def ensure(stack: Stack) -> None:
    """Creates the stack's virtualenv unless it is there for its current requirements."""
    if stack.ready():
        return
    shutil.rmtree(stack.directory, ignore_errors=True)
    environment = {**os.environ, **dict(stack.environment)}
    subprocess.run([*stack.python, "-m", "venv", str(stack.directory)], check=True, env=environment)
    pip = [str(stack.bin / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "-r", str(stack.requirements)], check=True)
    if stack.patch_mapping:
        (mapping,) = stack.directory.glob("lib/python*/site-packages/sagemaker_containers/_mapping.py")
        mapping.write_text(mapping.read_text().replace("collections.Mapping", "collections.abc.Mapping"))
    stack.stamp.touch()


def main() -> int:
    for stack in STACKS:
        print(f"serving stack {stack.name}: {'cached' if stack.ready() else 'creating'} {stack.directory}",
              flush=True)
        ensure(stack)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
