"""`fraudspec render` renders every aws environment from one parse of the spec and one read of the
lock, without going through deploy."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fraudspec.cli import main as cli_main
from fraudspec.lock import file as lock_file
from fraudspec.render.environment import aws_environments
from fraudspec.spec import yaml_source

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "specs" / "fraud-detection.yaml"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "specs", tmp_path / "specs")
    return tmp_path / "specs" / EXAMPLE.name


def _counting(monkeypatch: pytest.MonkeyPatch, module, name: str) -> list:
    calls: list = []
    real = getattr(module, name)
    monkeypatch.setattr(module, name, lambda *args: calls.append(args) or real(*args))
    return calls


@pytest.mark.parametrize("check", [False, True])
def test_every_environment_from_one_parse_and_one_lock_read(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                            check: bool) -> None:
    if check:
        shutil.copytree(REPO / "terraform", project.parents[1] / "terraform")
    parses = _counting(monkeypatch, yaml_source, "parse_source")
    lock_reads = _counting(monkeypatch, lock_file, "loads")
    assert cli_main.main(["render", "--spec", str(project), *(["--check"] if check else [])]) == 0
    assert (len(parses), len(lock_reads)) == (1, 1)
    for env in ("dev", "staging"):
        for path in (REPO / "terraform" / env).glob("*.tf.json"):
            assert (project.parents[1] / "terraform" / env / path.name).read_text() == path.read_text()


def test_aws_environments_in_declaration_order(project: Path) -> None:
    assert [spec.environment.name for spec in aws_environments(project)] == ["dev", "staging"]


def test_render_does_not_go_through_deploy(project: Path) -> None:
    probe = ("import sys\n"
             "from fraudspec.cli import main\n"
             f"assert main.main(['render', '--spec', {str(project)!r}]) == 0\n"
             "through = sorted(m for m in sys.modules if m.startswith('fraudspec.deploy'))\n"
             "assert not through, through\n")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
