"""Every variant is built into its own workspace: cached apart, gated apart, named in what build prints."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fraudspec.artifact.pipeline import build_variants
from fraudspec.cli import main as cli_main
from fraudspec.core.errors import FraudspecError
from fraudspec.spec.load import load_spec
from tests.lock.challenger_project import AB, SHADOW, spec_text, write_project


def test_each_variant_has_its_own_model_and_an_unchanged_one_is_not_rebuilt(tmp_path: Path) -> None:
    spec = load_spec(write_project(tmp_path, spec_text(AB)), "local")
    first = build_variants(spec, progress=False)
    assert [b.variant for b in first] == ["AllTraffic", "deep", "gbm"]
    variants = tmp_path / "build/fraud-detection/local/variants"
    assert [b.result.model_tar for b in first] == [spec.workspace.model_tar, variants / "deep/model/model.tar.gz",
                                                   variants / "gbm/model/model.tar.gz"]
    assert len({b.result.sha256 for b in first}) == 3 and not any(b.result.cached for b in first)
    gbm = json.loads(first[2].result.metrics_json.read_text())
    assert gbm["algorithm"] == "gradient_boosting" and gbm["gate"]["roc_auc"]["passed"]

    again = build_variants(spec, progress=False)
    assert all(b.result.cached for b in again) and [b.result.sha256 for b in again] == [b.result.sha256 for b in first]

    spec.path.write_text(spec_text(AB.replace("max_depth: 4", "max_depth: 3")))
    changed = build_variants(load_spec(spec.path, "local"), progress=False)
    assert [b.result.cached for b in changed] == [True, False, True], "only deep's inputs changed"
    assert changed[1].result.sha256 != first[1].result.sha256


def test_a_challengers_failed_gate_names_it_and_leaves_the_champion(tmp_path: Path) -> None:
    shadow = SHADOW.replace("algorithm: gradient_boosting}", "algorithm: gradient_boosting, gate: {roc_auc: 0.9999}}")
    spec = load_spec(write_project(tmp_path, spec_text(shadow)), "local")
    with pytest.raises(FraudspecError, match=r"^challenger 'gbm': quality gate failed: validation roc_auc") as error:
        build_variants(spec, progress=False)
    assert "endpoint.challengers[gbm].model.gate" in error.value.hint
    view = spec.for_variant("gbm")
    assert not view.workspace.model_tar.exists(), "no model is left behind for the failed variant"
    assert json.loads(view.workspace.model_metrics.read_text())["gate"]["roc_auc"]["passed"] is False
    assert spec.workspace.model_tar.is_file()


def test_build_and_baseline_print_every_variant(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    write_project(tmp_path, spec_text(SHADOW))
    monkeypatch.chdir(tmp_path)
    assert cli_main.main(["build", "--env", "local", "--no-progress"]) == 0
    out = capsys.readouterr().out.splitlines()
    at = out.index("challenger gbm (shadow)")
    assert out[at + 1].startswith("  data      build/fraud-detection/local/variants/gbm/data/train.csv")
    assert out[-1].endswith("  build/fraud-detection/local/variants/gbm/model/model.tar.gz")
    assert out[at - 1].endswith("  build/fraud-detection/local/model/model.tar.gz")

    assert cli_main.main(["build", "--env", "local", "--no-progress", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    [challenger] = doc["challengers"]
    assert (challenger["variant"], challenger["role"], challenger["cached"], doc["cached"]) == ("gbm", "shadow",
                                                                                                True, True)
    assert challenger["model"]["sha256"] != doc["model"]["sha256"] and challenger["gate"]["roc_auc"]["passed"]

    assert cli_main.main(["baseline", "--env", "local"]) == 0
    out = capsys.readouterr().out
    assert "challenger gbm (shadow)" in out
    for root in (Path("build/fraud-detection/local"), Path("build/fraud-detection/local/variants/gbm")):
        assert (root / "monitoring/statistics.json").is_file() and (root / "monitoring/constraints.json").is_file()


def test_a_spec_without_challengers_builds_as_before(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    text = spec_text(SHADOW).replace("  challengers:\n" + SHADOW, "")
    write_project(tmp_path, text)
    monkeypatch.chdir(tmp_path)
    assert cli_main.main(["build", "--env", "local", "--no-progress", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert "challengers" not in doc and not (tmp_path / "build/fraud-detection/local/variants").exists()
