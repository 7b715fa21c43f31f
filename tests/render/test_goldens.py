"""The rendered Terraform of each variant is exactly the reviewed golden file set."""

from __future__ import annotations

from pathlib import Path

import pytest
from render_variants import VARIANTS, Variant, render_variant

UPDATE = "run `.venv/bin/python tests/render/update_goldens.py` and review `git diff tests/render/golden`"


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.name)
def test_render_matches_golden(variant: Variant, tmp_path: Path) -> None:
    rendered = render_variant(variant, tmp_path)
    golden = {path.name: path.read_text() for path in variant.golden.glob("*.tf.json")}
    assert sorted(rendered) == sorted(golden), UPDATE
    for name, content in rendered.items():
        assert content == golden[name], f"{variant.name}/{name} differs from the golden file: {UPDATE}"


def test_render_is_deterministic(tmp_path: Path) -> None:
    first = render_variant(VARIANTS[0], tmp_path / "a")
    second = render_variant(VARIANTS[0], tmp_path / "b")
    assert first == second
