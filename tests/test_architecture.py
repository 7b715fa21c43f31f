"""The import contract of ARCHITECTURE.md, checked over every module's syntax tree."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "fraudspec"
MARKERS = re.compile(r"<!-- import-contract:start -->(.*)<!-- import-contract:end -->", re.S)


def contract() -> dict[str, set[str]]:
    table = MARKERS.search((ROOT / "ARCHITECTURE.md").read_text())
    assert table, "ARCHITECTURE.md has no import-contract table"
    rows = {}
    for line in table.group(1).splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 2 and cells[0].startswith("`"):
            rows[cells[0].strip("`")] = {name.strip() for name in cells[1].split(",") if name.strip()}
    return rows


def folder_of(module: str, folders: set[str]) -> str | None:
    """The most specific contract folder of a dotted module name (None: the package root)."""
    parts = module.split(".")[1:]
    for size in range(len(parts), 0, -1):
        candidate = "/".join(parts[:size])
        if candidate in folders:
            return candidate
    return None


def imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            # `from fraudspec.x import y` may import the module fraudspec.x.y
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return [(line, name) for line, name in found if name.split(".")[0] == "fraudspec"]


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_every_package_folder_is_in_the_contract() -> None:
    folders = set(contract())
    for path in modules():
        relative = path.relative_to(PACKAGE)
        if len(relative.parts) > 1:
            assert folder_of("fraudspec." + ".".join(relative.with_suffix("").parts), folders), \
                f"{relative.parent} is not in ARCHITECTURE.md's import contract"


def test_no_module_imports_against_the_flow() -> None:
    rules = contract()
    folders = set(rules)
    broken = []
    for path in modules():
        relative = path.relative_to(PACKAGE)
        own = folder_of("fraudspec." + ".".join(relative.with_suffix("").parts), folders)
        for line, name in imports(path):
            target = folder_of(name, folders)
            if own is None or target is None or target == own:
                continue  # the package root (version, entry point), or within one folder
            if target not in rules[own]:
                broken.append(f"fraudspec/{relative}:{line}: {own} imports {name} ({target})")
    assert not broken, "imports against ARCHITECTURE.md's contract:\n" + "\n".join(broken)


def test_the_handler_needs_only_what_sagemaker_images_have() -> None:
    handler = PACKAGE / "artifact" / "handler"
    siblings = {path.stem for path in handler.glob("*.py")}  # top-level modules inside the tarball
    allowed = set(sys.stdlib_module_names) | {"numpy", "boto3"} | siblings  # SageMaker's images ship numpy, boto3
    for path in sorted(handler.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module else []
            for name in names:
                assert name.split(".")[0] in allowed, f"{path.name} imports {name}"


@pytest.mark.parametrize("source", ["core", "spec"])
def test_the_checker_catches_a_violation(tmp_path: Path, source: str) -> None:
    """A module of a low stage importing the CLI is found (the check is not vacuous)."""
    probe = tmp_path / "probe.py"
    probe.write_text("def late():\n    from fraudspec.cli.main import main\n")
    rules = contract()
    target = folder_of(imports(probe)[0][1], set(rules))
    assert target == "cli" and target not in rules[source]
