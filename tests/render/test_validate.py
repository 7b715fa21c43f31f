"""`terraform init` + `terraform validate` with the real hashicorp/aws provider, offline.

Skips (loudly) only where terraform or a filesystem mirror of the provider is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from render_variants import VARIANTS, Variant, make_project, render_spec

from fraudspec.render.files import write
from fraudspec.spec.load import load_spec

pytestmark = pytest.mark.slow  # terraform init + validate with the real provider, seconds per test

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((REPO / "specs").glob("*.yaml"))


def _aws_environments(spec_file: Path) -> list[str]:
    declared = yaml.safe_load(spec_file.read_text())["environments"]
    return [env for env in declared if load_spec(spec_file, env).environment.target == "aws"]


EXAMPLE_ENVS = [(spec_file, env) for spec_file in EXAMPLES for env in _aws_environments(spec_file)]
COMMITTED = sorted(path for path in (REPO / "terraform").glob("*") if path.is_dir())


def _assert_valid(diagnostics: dict) -> None:
    messages = [f"{d['severity']}: {d['summary']}: {d.get('detail', '')}" for d in diagnostics["diagnostics"]]
    assert diagnostics["valid"] and messages == [], messages


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.name)
def test_golden_is_valid_for_the_real_provider(variant: Variant, offline_terraform, tmp_path: Path) -> None:
    _assert_valid(offline_terraform.validate(variant.golden, tmp_path / "work"))


@pytest.mark.parametrize(("spec_file", "env"), EXAMPLE_ENVS, ids=lambda v: getattr(v, "name", v))
def test_example_spec_renders_valid_terraform(spec_file: Path, env: str, offline_terraform, tmp_path: Path) -> None:
    spec = make_project(tmp_path / "project", spec_file, env)
    write(spec.terraform_dir, render_spec(spec))
    _assert_valid(offline_terraform.validate(spec.terraform_dir, tmp_path / "work"))


@pytest.mark.parametrize("directory", COMMITTED, ids=lambda p: p.name)
def test_committed_terraform_is_valid(directory: Path, offline_terraform, tmp_path: Path) -> None:
    _assert_valid(offline_terraform.validate(directory, tmp_path / "work"))
