"""The committed example is consistent: on a clean clone (no build/), the spec and the committed
lock render exactly the committed terraform/, and `render --check` catches a hand edit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fraudspec.cli import main as cli_main
from fraudspec.lock.file import lock_path, read_lock
from fraudspec.render.environment import aws_environments, check_environment

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "specs" / "fraud-detection.yaml"


@pytest.fixture
def clean_clone(tmp_path: Path) -> Path:
    """The example's spec, lock and terraform/, and nothing else: no build/, no wheel cache."""
    shutil.copytree(REPO / "specs", tmp_path / "specs")
    shutil.copytree(REPO / "terraform", tmp_path / "terraform")
    return tmp_path / "specs" / EXAMPLE.name


def test_every_aws_environment_of_the_example_is_locked() -> None:
    lock = read_lock(lock_path(EXAMPLE))
    specs = {spec.environment.name: spec for spec in aws_environments(EXAMPLE)}
    assert sorted(lock.environments) == sorted(specs)
    assert lock.environments["dev"].promoted_from is None
    assert lock.environments["staging"].promoted_from == "dev", "staging runs what dev built"
    for env, entry in lock.environments.items():
        assert all(a.uri.startswith(f"s3://{specs[env].environment.bucket}/") for a in entry.artifacts.values())


def test_a_clean_clone_renders_the_committed_terraform(clean_clone: Path) -> None:
    for spec in aws_environments(clean_clone):
        assert check_environment(spec) == "", f"terraform/{spec.environment.name} is stale"
    assert not (clean_clone.parents[1] / "build").exists()


def test_render_check_catches_a_hand_edit(clean_clone: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edited = clean_clone.parents[1] / "terraform" / "staging" / "fraudspec.tf.json"
    edited.write_text(edited.read_text().replace('"memory_size_in_mb": 4096', '"memory_size_in_mb": 1024'))
    assert cli_main.main(["render", "--check", "--spec", str(clean_clone)]) == 1
    captured = capsys.readouterr()
    assert 'terraform/dev/ is up to date' in captured.out
    assert '-                "memory_size_in_mb": 1024' in captured.out
    assert '+                "memory_size_in_mb": 4096' in captured.out
    assert "the committed Terraform of staging differs" in captured.err
    assert "`fraudspec render --env staging`" in captured.err
    assert '"memory_size_in_mb": 1024' in edited.read_text(), "--check writes nothing"
