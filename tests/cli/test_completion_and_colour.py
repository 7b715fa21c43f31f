"""Shell completion (the generated bash script loaded in bash, completing an environment name),
colour only on a terminal, and help texts that say what the commands really do."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fraudspec.cli import output
from fraudspec.cli.completion import candidates
from fraudspec.cli.main import main

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "specs" / "fraud-detection.yaml"
FRAUDSPEC = Path(sys.executable).parent / "fraudspec"


@pytest.mark.slow  # starts bash, which starts fraudspec per completion
@pytest.mark.skipif(shutil.which("bash") is None or not FRAUDSPEC.exists(), reason="needs bash and the entry point")
def test_bash_completes_environment_names_from_the_spec(tmp_path: Path, capsys) -> None:
    script = tmp_path / "fraudspec.bash"
    assert main(["completion", "bash"]) == 0
    script.write_text(capsys.readouterr().out)  # the script exactly as `fraudspec completion bash` prints it
    spec = tmp_path / "specs" / "fraud-detection.yaml"
    spec.parent.mkdir()
    spec.write_text(EXAMPLE.read_text())

    def complete(*words: str) -> list[str]:
        line = " ".join(f"'{word}'" for word in words)
        program = (f"source {script}; COMP_WORDS=({FRAUDSPEC} {line}); COMP_CWORD={len(words)}; _fraudspec; "
                   'printf "%s\\n" "${COMPREPLY[@]}"')
        result = subprocess.run(["bash", "--norc", "-c", program], cwd=tmp_path, capture_output=True, text=True,
                                timeout=60)
        assert result.returncode == 0, result.stderr
        return [line for line in result.stdout.splitlines() if line]

    assert complete("status", "--env", "") == ["local", "dev", "staging"]
    assert complete("plan", "--env", "st") == ["staging"]
    assert complete("promote", "--spec", str(spec), "--to", "d") == ["dev"]
    assert complete("mon") == ["monitor"]
    assert complete("monitor", "run", "--format", "") == ["text", "json"]
    assert "--detailed-exitcode" in complete("plan", "--d")


def test_completion_candidates() -> None:
    assert candidates(["fraudspec"], "dr") == ["drift"]
    assert candidates(["fraudspec", "completion"], "") == ["bash", "zsh", "fish"]
    assert candidates(["fraudspec", "monitor"], "q") == ["quality"]
    assert candidates(["fraudspec", "show", "--spec", str(EXAMPLE), "--env"], "") == ["local", "dev", "staging"]
    assert candidates(["fraudspec", "show", "--spec", "/no/such/spec.yaml", "--env"], "") == []
    assert candidates(["fraudspec", "diff", "--format"], "") == ["text", "markdown", "json"]
    assert candidates(["fraudspec", "validate"], "") == []  # SPEC: the shell completes file names


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_every_shell_script_calls_back_for_candidates(shell: str, capsys) -> None:
    assert main(["completion", shell]) == 0
    script = capsys.readouterr().out
    assert "__complete" in script and "fraudspec" in script


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setattr(output, "_colour_disabled", False)
    assert output.colourise("amount DRIFT", _Terminal()) == "amount \033[31mDRIFT\033[0m"
    assert output.colourise("amount DRIFT", io.StringIO()) == "amount DRIFT"  # not a terminal
    assert output.colourise("no-DRIFT-here", _Terminal()) == "no-DRIFT-here"  # whole words only
    monkeypatch.setenv("NO_COLOR", "1")
    assert output.colourise("amount DRIFT", _Terminal()) == "amount DRIFT"


def test_no_color_is_accepted_anywhere_on_the_line(monkeypatch, capsys) -> None:
    monkeypatch.setattr(output, "_colour_disabled", False)
    assert main(["validate", "--spec", str(EXAMPLE), "--no-color"]) == 0
    assert output._colour_disabled
    assert "\033[" not in capsys.readouterr().out


def test_monitor_run_help_states_the_real_end_default(capsys) -> None:
    assert main(["monitor", "run", "--help"]) == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert "see the command's help" not in help_text
    assert "with --start, the end of the current UTC hour" in help_text and "the previous full hour" in help_text


def test_plan_of_a_local_environment_names_a_real_command(capsys) -> None:
    assert main(["plan", "--spec", str(EXAMPLE), "--env", "local"]) == 1
    err = capsys.readouterr().err
    assert "is local: there is no Terraform plan" in err and "fraudspec apply --env local`" in err
