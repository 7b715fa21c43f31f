from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from pathlib import Path

from fraudspec.cli.commands import build

EXAMPLE = Path(__file__).parents[2] / "specs" / "fraud-detection.yaml"


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    build.add_arguments(parser)
    return build.run(parser.parse_args(list(argv)))


def test_build_prints_the_artifact_sha256_then_reuses_it(tmp_path, monkeypatch, capsys):
    text = EXAMPLE.read_text()
    small = text.replace("synthetic: {rows: 20000, seed: 7}", "synthetic: {rows: 8000, seed: 7}")
    small = small.replace("n_estimators: 100", "n_estimators: 20")
    assert small.count("rows: 8000") == 1 and "n_estimators: 20" in small  # the example still reads as expected
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "fraud-detection.yaml").write_text(small)
    monkeypatch.chdir(tmp_path)

    assert run("--env", "local", "--no-progress") == 0
    out = capsys.readouterr().out.splitlines()
    sha256, path = out[-1].split("  ")
    assert path == "build/fraud-detection/local/model/model.tar.gz"
    assert sha256 == hashlib.sha256((tmp_path / path).read_bytes()).hexdigest()
    assert out[-3].startswith("validation roc_auc ") and out[-2].startswith("gate      roc_auc ")
    assert out[-2].endswith(" >= 0.9 passed")

    assert run("--env", "local", "--no-progress", "--format", "json") == 0
    document = json.loads(capsys.readouterr().out)
    assert document["command"] == "build" and document["model"]["sha256"] == sha256 and document["cached"]
    assert document["gate"]["roc_auc"]["passed"] and set(document["validation"]) >= {"roc_auc", "recall"}

    assert run("--env", "local", "--no-progress") == 0
    again = capsys.readouterr().out.splitlines()
    assert again[0].startswith("model unchanged") and again[-1] == out[-1]


def test_importing_the_command_leaves_numpy_and_sklearn_unloaded():
    code = "import sys, fraudspec.cli.commands.build; print(sorted({'numpy', 'sklearn', 'tqdm'} & set(sys.modules)))"
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert completed.stdout.strip() == "[]"
