"""Challengers in the lock: their own entries in the file, recorded from their own workspaces, stale
against their own spec parts; locks without challengers keep their bytes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from fraudspec.core.errors import FraudspecError
from fraudspec.lock.file import dumps, loads, lock_path, read_lock
from fraudspec.lock.inputs import spec_digests
from fraudspec.lock.record import record_built
from fraudspec.lock.stale import require_fresh, stale_artifacts
from fraudspec.render.artifacts import artifacts_from_lock, needed_kinds
from fraudspec.spec.load import load_spec
from tests.lock.challenger_project import AB, SHADOW, built_project, fixture_bytes, spec_text, write_fixtures

COMMITTED = sorted((Path(__file__).resolve().parents[2] / "specs").glob("*.lock.json"))


@pytest.mark.parametrize("path", COMMITTED, ids=lambda p: p.name)
def test_committed_locks_keep_their_bytes_with_variants_only_for_challengers(path: Path) -> None:
    lock = loads(path.read_bytes())
    spec_file = path.with_name(path.name.removesuffix(".lock.json") + ".yaml")
    for env, entry in lock.environments.items():  # variants only where the spec has challengers
        assert list(entry.variants) == [c.variant for c in load_spec(spec_file, env).endpoint.challengers]
    assert dumps(lock) == path.read_bytes()


def test_each_challenger_is_locked_from_its_own_workspace(tmp_path: Path) -> None:
    spec = built_project(tmp_path, spec_text(AB))
    text = lock_path(spec.path).read_bytes()
    entry = loads(text).environments["dev"]
    assert list(entry.variants) == ["deep", "gbm"]
    for name, artifacts in entry.variants.items():
        assert sorted(artifacts) == ["constraints", "model", "statistics"]
        view = spec.for_variant(name)
        digests = spec_digests(view)
        for kind, locked in artifacts.items():
            assert locked.spec_sha256 == digests[kind]
            assert locked.sha256 != entry.artifacts[kind].sha256, "a challenger's file is not the champion's"
    assert entry.variants["gbm"]["model"].spec_sha256 != entry.artifacts["model"].spec_sha256
    assert dumps(loads(text)) == text, "what is read is written back byte for byte"
    located = artifacts_from_lock(spec, read_lock(lock_path(spec.path)))
    assert located.of("gbm").model.sha256 == entry.variants["gbm"]["model"].sha256


def test_a_kind_a_challenger_cannot_have_is_refused(tmp_path: Path) -> None:
    spec = built_project(tmp_path, spec_text(SHADOW))
    text = lock_path(spec.path).read_text().replace('"gbm": {\n          "constraints"',
                                                   '"gbm": {\n          "monitor_lambda"', 1)
    with pytest.raises(FraudspecError, match="unknown artifact kind\\(s\\) of variant 'gbm' monitor_lambda"):
        loads(text)


def test_lines_name_the_challenger_and_a_dropped_one(tmp_path: Path) -> None:
    spec = built_project(tmp_path, spec_text(AB))
    again = record_built(spec, needed_kinds(spec), whole_entry=True).lines()
    assert len(again) == 4 + 2 * 3 and all("(unchanged)" in line for line in again)
    assert sum("for challenger gbm in" in line for line in again) == 3

    spec.path.write_text(spec_text(AB.splitlines(keepends=True)[1]))  # gbm stays, deep goes
    spec = load_spec(spec.path, "dev")
    lines = record_built(spec, needed_kinds(spec), whole_entry=True).lines()
    assert lines[-1].startswith("dropped challenger deep (no longer in the spec) from ")
    assert list(read_lock(lock_path(spec.path)).environments["dev"].variants) == ["gbm"]


def test_baseline_relocks_the_challengers_baselines_and_keeps_their_models(tmp_path: Path) -> None:
    spec = built_project(tmp_path, spec_text(SHADOW))
    before = read_lock(lock_path(spec.path)).environments["dev"].variants["gbm"]
    (spec.for_variant("gbm").workspace.own / "monitoring" / "constraints.json").write_bytes(b'{"other": 1}\n')
    lines = record_built(spec, ("statistics", "constraints"), whole_entry=False).lines()
    after = read_lock(lock_path(spec.path)).environments["dev"].variants["gbm"]
    assert after["model"] == before["model"] and after["statistics"] == before["statistics"]
    assert after["constraints"] != before["constraints"]
    assert any(line.startswith("locked constraints") and "(was sha256:" in line and "challenger gbm" in line
               for line in lines)


def test_a_challengers_model_change_makes_only_its_model_stale(tmp_path: Path) -> None:
    spec = built_project(tmp_path, spec_text(AB))
    entry = read_lock(lock_path(spec.path)).environments["dev"]
    assert stale_artifacts(spec, entry) == ()
    spec.path.write_text(spec_text(AB.replace("max_depth: 4", "max_depth: 5")))
    changed = load_spec(spec.path, "dev")
    stale = stale_artifacts(changed, entry)
    assert [(s.variant, s.kind) for s in stale] == [("deep", "model")]
    with pytest.raises(FraudspecError, match="model of challenger deep \\(the model section changed") as error:
        require_fresh(changed, entry)
    assert "fraudspec build --env dev" in error.value.hint


def test_a_challenger_removed_from_the_spec_leaves_the_lock_stale(tmp_path: Path) -> None:
    spec = built_project(tmp_path, spec_text(SHADOW))
    entry = read_lock(lock_path(spec.path)).environments["dev"]
    spec.path.write_text(spec_text("    []\n").replace("  challengers:\n    []\n", ""))
    without = load_spec(spec.path, "dev")
    assert {(s.variant, s.reason) for s in stale_artifacts(without, entry)} == {
        ("gbm", "the spec no longer has this challenger")}


def test_a_challenger_never_built_is_named_by_render(tmp_path: Path) -> None:
    spec = built_project(tmp_path, spec_text(SHADOW))
    spec.path.write_text(spec_text(AB))
    grown = load_spec(spec.path, "dev")
    with pytest.raises(FraudspecError, match="locks no model of challenger 'deep'"):
        artifacts_from_lock(grown, read_lock(lock_path(spec.path)))
    write_fixtures(grown)
    record_built(grown, needed_kinds(grown), whole_entry=True)
    entry = read_lock(lock_path(spec.path)).environments["dev"]
    assert entry.variants["deep"]["model"].sha256 == hashlib.sha256(fixture_bytes("model", "deep")).hexdigest()
