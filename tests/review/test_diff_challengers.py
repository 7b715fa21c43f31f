"""`fraudspec diff` with challengers: the variants and their shares, and the variant changes SageMaker
refuses under a canary or linear rollout (a guarded update keeps the variant names)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scenarios import CHALLENGERS, run_diff

from fraudspec.cli.main import main
from fraudspec.review.variants import describe, guarded_rename
from fraudspec.spec.load import load_spec

ROLLOUT = "  variant: AllTraffic\n"


def _spec(tmp_path: Path, name: str, env: str, *edits: tuple[str, str]):
    text = CHALLENGERS.read_text()
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / name / CHALLENGERS.name
    path.parent.mkdir(parents=True)
    path.write_text(text)
    return load_spec(path, env)


def _rollout(strategy: str) -> tuple[str, str]:
    percent = "" if strategy == "all_at_once" else ", percent: 50" if strategy == "canary" else ", percent: 25"
    return ROLLOUT, f"{ROLLOUT}  rollout: {{strategy: {strategy}{percent}}}\n"


def test_the_variants_are_shown_with_their_shares(tmp_path: Path) -> None:
    assert describe(_spec(tmp_path, "s", "shadow")) == "AllTraffic 100 %, gbm shadow (copies 20 %)"
    assert describe(_spec(tmp_path, "a", "ab")) == "AllTraffic 90 %, gbm A/B 10 %"


def test_a_changed_share_shows_both_variant_lines_and_no_warning(tmp_path: Path) -> None:
    outputs = run_diff("shadow-share", tmp_path)
    text = outputs["text"]
    assert ("  variants: AllTraffic 100 %, gbm shadow (copies 20 %) -> AllTraffic 100 %, gbm shadow (copies 30 %)"
            in text)
    assert "shadow: challenger gbm share 20 -> 30 %" in text
    assert "WARNING" not in text
    assert "**Variants:** AllTraffic 100 %, gbm shadow (copies 20 %) → AllTraffic 100 %, gbm shadow (copies 30 %)" \
        in outputs["markdown"]


def test_a_new_variant_under_a_canary_rollout_is_flagged_with_the_way_out(tmp_path: Path) -> None:
    outputs = run_diff("variant-under-canary", tmp_path)
    text = outputs["text"]
    shadow, ab = text.split("\nab: ")
    assert "WARNING" not in shadow, "shadow keeps its variant names: its canary update is accepted"
    assert "  WARNING: the endpoint's variants change (adds logistic) while endpoint.rollout is canary" in ab
    assert "`endpoint.rollout.strategy: all_at_once` first" in ab
    markdown = outputs["markdown"]
    assert "> [!WARNING]\n> the endpoint's variants change (adds logistic)" in markdown
    assert "`endpoint.rollout.strategy: all_at_once`" in markdown, "a code span keeps its underscores unescaped"


@pytest.mark.parametrize("strategy", ["canary", "linear"])
def test_renaming_or_removing_a_challenger_under_a_guarded_rollout_is_refused(tmp_path: Path, strategy: str) -> None:
    before = _spec(tmp_path, "before", "shadow", _rollout(strategy))
    renamed = _spec(tmp_path, "renamed", "shadow", _rollout(strategy), ("- variant: gbm", "- variant: gbm2"))
    assert f"(renames gbm to gbm2) while endpoint.rollout is {strategy}" in (guarded_rename(before, renamed) or "")
    champion = _spec(tmp_path, "champion", "shadow", _rollout(strategy), (ROLLOUT, "  variant: blue\n"))
    assert "(renames AllTraffic to blue)" in (guarded_rename(before, champion) or "")
    alone = _spec(tmp_path, "alone", "ab", _rollout(strategy), ("            mode: ab", "            mode: ab\n"
                                                                  "            percent: 10\n"
                                                                  "          - variant: x\n"
                                                                  "            mode: ab"))
    removed = _spec(tmp_path, "removed", "ab", _rollout(strategy))
    assert "(removes x)" in (guarded_rename(alone, removed) or "")


def test_an_all_at_once_rollout_or_unchanged_names_need_no_warning(tmp_path: Path) -> None:
    before = _spec(tmp_path, "before", "shadow", _rollout("all_at_once"))
    renamed = _spec(tmp_path, "renamed", "shadow", _rollout("all_at_once"), ("- variant: gbm", "- variant: gbm2"))
    assert guarded_rename(before, renamed) is None
    canary = _spec(tmp_path, "canary", "shadow", _rollout("canary"))
    wider = _spec(tmp_path, "wider", "shadow", _rollout("canary"), ("      percent: 20", "      percent: 40"))
    assert guarded_rename(canary, wider) is None


def test_the_json_diff_carries_the_warning(tmp_path: Path, capsys) -> None:
    run_diff("variant-under-canary", tmp_path)
    spec_file = tmp_path / "specs" / CHALLENGERS.name
    assert main(["diff", "--spec", str(spec_file), "--against", "HEAD", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    flags = {env["environment"]: env["flags"] for env in document["environments"]}
    assert flags["shadow"] == [] and len(flags["ab"]) == 1 and "adds logistic" in flags["ab"][0]
