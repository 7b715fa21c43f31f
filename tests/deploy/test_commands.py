"""The render/plan/apply/destroy commands: dispatch by target, user errors, no heavy imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import fake_lambda_wheels

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "specs" / "fraud-detection.yaml"


def test_plan_of_a_local_environment_points_to_apply(cli, capsys) -> None:
    assert cli(["plan", "--spec", str(EXAMPLE), "--env", "local"]) == 1
    err = capsys.readouterr().err
    assert "there is no Terraform plan" in err and "fraudspec apply --env local" in err


def test_render_of_a_local_environment_is_refused(cli, capsys) -> None:
    assert cli(["render", "--spec", str(EXAMPLE), "--env", "local"]) == 1
    assert "only aws environments render Terraform" in capsys.readouterr().err


def test_render_without_build_outputs_names_the_step(cli, capsys, tmp_path: Path) -> None:
    (tmp_path / "specs").mkdir()
    spec = tmp_path / "specs" / "fraud-detection.yaml"
    spec.write_text(EXAMPLE.read_text())
    fake_lambda_wheels(tmp_path / "build" / "cache" / "lambda-wheels")
    assert cli(["render", "--spec", str(spec), "--env", "dev"]) == 1
    err = capsys.readouterr().err
    assert "model.tar.gz does not exist" in err and "run `fraudspec build --env dev` first" in err
    assert not (tmp_path / "terraform" / "dev").exists()


def test_apply_without_a_terminal_needs_auto_approve() -> None:
    from fraudspec.cli.commands.apply import confirmer
    from fraudspec.errors import FraudspecError

    assert confirmer(True)("Apply?") is True
    with pytest.raises(FraudspecError, match="without confirmation"):
        confirmer(False)("Apply?")  # pytest's stdin is not a terminal


def test_command_modules_import_nothing_heavy() -> None:
    probe = ("import sys\n"
             "import fraudspec.cli.commands.render, fraudspec.cli.commands.plan\n"
             "import fraudspec.cli.commands.apply, fraudspec.cli.commands.destroy\n"
             "heavy = sorted(m for m in ('boto3', 'botocore', 'numpy', 'tqdm', 'yaml') if m in sys.modules)\n"
             "assert not heavy, heavy\n")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
