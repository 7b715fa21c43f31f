"""The render/plan/apply/destroy commands: dispatch by target, user errors, no heavy imports."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "specs" / "fraud-detection.yaml"


def test_plan_of_a_local_environment_points_to_apply(cli, capsys) -> None:
    assert cli(["plan", "--spec", str(EXAMPLE), "--env", "local"]) == 1
    err = capsys.readouterr().err
    assert "there is no Terraform plan" in err and "fraudspec apply --env local" in err


def test_render_of_a_local_environment_is_refused(cli, capsys) -> None:
    assert cli(["render", "--spec", str(EXAMPLE), "--env", "local"]) == 1
    assert "only aws environments render Terraform" in capsys.readouterr().err


def test_render_without_a_lock_names_build_and_promote(cli, capsys, tmp_path: Path) -> None:
    (tmp_path / "specs").mkdir()
    spec = tmp_path / "specs" / "fraud-detection.yaml"
    spec.write_text(EXAMPLE.read_text())
    assert cli(["render", "--spec", str(spec), "--env", "dev"]) == 1
    err = capsys.readouterr().err
    assert "has no artifacts for environment 'dev'" in err
    assert "run `fraudspec build --env dev`" in err and "`fraudspec promote --from ENV --to dev`" in err
    assert not (tmp_path / "terraform" / "dev").exists()


def test_render_without_env_renders_every_aws_environment(cli, capsys, tmp_path: Path) -> None:
    shutil.copytree(REPO / "specs", tmp_path / "specs")
    assert cli(["render", "--spec", str(tmp_path / "specs" / EXAMPLE.name)]) == 0
    assert sorted(p.name for p in (tmp_path / "terraform").iterdir()) == ["dev", "staging"]
    for env in ("dev", "staging"):
        for path in (REPO / "terraform" / env).glob("*.tf.json"):
            assert (tmp_path / "terraform" / env / path.name).read_text() == path.read_text()


def test_apply_without_a_terminal_needs_auto_approve() -> None:
    from fraudspec.cli.commands.apply import confirmer
    from fraudspec.core.errors import FraudspecError

    assert confirmer(True, "apply", "dev")("Apply?") is True
    with pytest.raises(FraudspecError, match="without confirmation") as refused:
        confirmer(False, "apply", "dev")("Apply?")  # pytest's stdin is not a terminal
    assert "apply --env dev --auto-approve" in refused.value.hint and "make apply ENV=dev AUTO_APPROVE=1" in \
        refused.value.hint


def test_command_modules_import_nothing_heavy() -> None:
    probe = ("import sys\n"
             "import fraudspec.cli.commands.render, fraudspec.cli.commands.plan\n"
             "import fraudspec.cli.commands.apply, fraudspec.cli.commands.destroy\n"
             "import fraudspec.cli.commands.build, fraudspec.cli.commands.baseline\n"
             "import fraudspec.cli.commands.promote, fraudspec.cli.commands.diff\n"
             "heavy = sorted(m for m in ('boto3', 'botocore', 'numpy', 'tqdm', 'yaml') if m in sys.modules)\n"
             "assert not heavy, heavy\n")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
