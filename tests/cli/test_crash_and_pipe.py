"""The crash log is private (0700 folder, 0600 file, never written through a planted symlink, secrets
masked), and a closed pipe ends a command quietly with 141, SIGPIPE's convention."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pytest

from fraudspec.cli import main as cli_main
from fraudspec.cli.main import main

SECRET = "https://hooks.example.com/T0KEN-in-the-url"


@pytest.fixture
def crashing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Every command crashes with the webhook URL in its message; the crash folder is under tmp_path."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("FRAUD_WEBHOOK_URL", SECRET)

    def broken(name):
        raise RuntimeError(f"could not reach {SECRET}")

    monkeypatch.setattr(cli_main, "_module", broken)
    return tmp_path / "state" / "fraudspec"


def test_the_crash_log_is_private_and_masks_secrets(crashing: Path, capsys) -> None:
    assert main(["schema"]) == 70
    log = crashing / "crash.log"
    assert f"the traceback is in {log}" in capsys.readouterr().err
    assert stat.S_IMODE(crashing.stat().st_mode) == 0o700 and stat.S_IMODE(log.stat().st_mode) == 0o600
    text = log.read_text()
    assert "RuntimeError" in text and SECRET not in text and "${env:FRAUD_WEBHOOK_URL}" in text


def test_a_planted_symlink_is_never_written_through(crashing: Path, tmp_path: Path, capsys) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    crashing.mkdir(parents=True, mode=0o700)
    (crashing / "crash.log").symlink_to(victim)
    assert main(["schema"]) == 70
    assert victim.read_text() == "precious" and "no private place" in capsys.readouterr().err


def test_a_symlinked_crash_folder_is_not_trusted(crashing: Path, tmp_path: Path, capsys) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    crashing.parent.mkdir(parents=True)
    crashing.symlink_to(elsewhere)
    assert main(["schema"]) == 70
    assert list(elsewhere.iterdir()) == [] and "no private place" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.parametrize("argv", [["schema"], ["show", "--env", "local"]])
def test_a_closed_pipe_exits_141_without_a_traceback(argv: list[str]) -> None:
    process = subprocess.Popen([sys.executable, "-m", "fraudspec.cli.main", *argv], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, cwd=Path(__file__).parents[2])
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # `| head -0`: the reader is gone before the first write
    errors = process.stderr.read()
    assert process.wait(timeout=30) == 141
    assert b"Traceback" not in errors and b"BrokenPipe" not in errors and b"internal error" not in errors
