"""Hints that paste as they are, and what `make apply` tells about the model it serves."""

from __future__ import annotations

import json
import os
from pathlib import Path

from fraudspec.cli import output
from fraudspec.cli.commands.apply import _model_lines
from fraudspec.spec.load import load_spec

EXAMPLE = Path(__file__).parents[2] / "specs" / "fraud-detection.yaml"


def test_hints_name_the_virtualenvs_fraudspec_when_it_is_not_on_path(monkeypatch, tmp_path: Path) -> None:
    venv_bin = tmp_path / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    program = venv_bin / "fraudspec"
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.argv", [".venv/bin/fraudspec", "apply"])
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    assert output.run_hint("drift --env local") == "`.venv/bin/fraudspec drift --env local`"
    monkeypatch.setenv("PATH", f"{venv_bin}{os.pathsep}/usr/bin")  # an activated virtualenv
    assert output.run_hint("drift --env local") == "`fraudspec drift --env local`"


def test_apply_prints_the_validation_metrics_and_the_gate(tmp_path: Path) -> None:
    (tmp_path / "specs").mkdir()
    spec_file = tmp_path / "specs" / "fraud-detection.yaml"
    spec_file.write_text(EXAMPLE.read_text())
    spec = load_spec(spec_file, "local")
    spec.workspace.model_metrics.parent.mkdir(parents=True)
    spec.workspace.model_metrics.write_text(json.dumps({
        "validation": {"roc_auc": 0.9691, "pr_auc": 0.8696, "precision": 0.95, "recall": 0.7125},
        "gate": {"roc_auc": {"minimum": 0.9, "measured": 0.9691, "passed": True}}}))
    assert _model_lines(spec) == [
        "  metrics   validation roc_auc 0.9691  pr_auc 0.8696  precision 0.9500  recall 0.7125",
        "  gate      roc_auc 0.9691 >= 0.9 passed",
    ]


def test_every_printed_hint_pastes_even_when_a_stage_wrote_it(monkeypatch, tmp_path: Path, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.argv", [".venv/bin/fraudspec", "drift"])
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    output.say("error: no execution yet\n    hint: run `fraudspec monitor run --env local` first")
    assert "run `.venv/bin/fraudspec monitor run --env local` first" in capsys.readouterr().out
