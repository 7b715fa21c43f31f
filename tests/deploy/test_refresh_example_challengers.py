"""tools/refresh_example.py on a spec with challengers: every variant built and locked in each environment,
through the emulator, and the Terraform rendered from those locks."""

from __future__ import annotations

from pathlib import Path

import pytest
from deploy_support import fake_lambda_wheels

from fraudspec.lock.file import lock_path, read_lock
from tools import refresh_example

SPEC = Path(__file__).parent / "specs" / "emulator-challengers.yaml"


@pytest.mark.slow  # a moto server and three fraudspec processes training every variant of two environments
def test_refresh_locks_every_environments_challengers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capfd) -> None:
    (tmp_path / "specs").mkdir()
    spec_file = tmp_path / "specs" / "challengers.yaml"
    spec_file.write_text(SPEC.read_text())
    fake_lambda_wheels(tmp_path / "build" / "cache" / "lambda-wheels")
    monkeypatch.chdir(tmp_path)
    assert refresh_example.main([str(spec_file.relative_to(tmp_path))]) == 0
    out = capfd.readouterr().out
    assert "specs/challengers.yaml shadow: challengers gbm locked" in out
    assert "specs/challengers.yaml ab: challengers deep, gbm locked" in out
    lock = read_lock(lock_path(spec_file))
    assert sorted(lock.environments["ab"].variants) == ["deep", "gbm"]
    shadow, ab = lock.environments["shadow"].variants["gbm"], lock.environments["ab"].variants["gbm"]
    assert shadow == ab, "the same challenger model in both environments is the same artifact"
    for env in ("shadow", "ab"):
        assert (tmp_path / "terraform" / env / "fraudspec.tf.json").is_file()
