"""Shell completion: the scripts `fraudspec completion SHELL` prints, and the candidates they ask for.

Each script calls `fraudspec __complete INDEX WORD...` (the words typed so far, the program first,
INDEX the one being completed) and offers what it prints, one candidate a line; with none, the shell
completes file names. Candidates: commands, `monitor`'s actions, each command's options, the choices
of an option (`--format`), and the environments of the spec (`--env`, `--from`, `--to`), read from
`--spec` or the default spec. Only the YAML is read: completing never validates or imports a stage.
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Sequence
from pathlib import Path

from fraudspec.cli.options import DEFAULT_SPEC

SHELLS = ("bash", "zsh", "fish")
ENV_OPTIONS = ("--env", "--from", "--to")
_GLOBAL = ("--help", "--version", "--no-color")

_BASH = r'''# fraudspec completion for bash: eval "$(fraudspec completion bash)" in ~/.bashrc
_fraudspec() {
    local IFS=$'\n'
    COMPREPLY=($("${COMP_WORDS[0]}" __complete "$COMP_CWORD" "${COMP_WORDS[@]}" 2>/dev/null))
}
complete -o default -F _fraudspec fraudspec
'''

_ZSH = r'''#compdef fraudspec
# fraudspec completion for zsh: eval "$(fraudspec completion zsh)" in ~/.zshrc (after compinit)
_fraudspec() {
    local -a candidates
    candidates=("${(@f)$("${words[1]}" __complete $((CURRENT - 1)) "${words[@]}" 2>/dev/null)}")
    if [[ -n "${candidates[1]}" ]]; then
        compadd -a candidates
    else
        _files
    fi
}
compdef _fraudspec fraudspec
'''

_FISH = r'''# fraudspec completion for fish: fraudspec completion fish > ~/.config/fish/completions/fraudspec.fish
function __fraudspec_complete
    set -l tokens (commandline -opc)
    $tokens[1] __complete (count $tokens) $tokens (commandline -ct) 2>/dev/null
end
complete -c fraudspec -a '(__fraudspec_complete)'
'''

SCRIPTS = {"bash": _BASH, "zsh": _ZSH, "fish": _FISH}


def complete(argv: Sequence[str]) -> int:
    """`__complete INDEX WORD...`: print the candidates for WORD[INDEX]; always exits 0."""
    try:
        index, words = int(argv[0]), list(argv[1:])
    except (IndexError, ValueError):
        return 0
    words += [""] * (index + 1 - len(words))
    for candidate in candidates(words[:index], words[index]):
        print(candidate)
    return 0


def candidates(before: list[str], current: str) -> list[str]:
    """What may follow `before` (the program first) and start with `current`."""
    from fraudspec.cli.registry import COMMANDS

    typed = [word for word in before[1:] if not word.startswith("-")]
    previous = before[-1] if len(before) > 1 else ""
    if not typed:  # the command itself
        options = list(_GLOBAL) if current.startswith("-") else [command.name for command in COMMANDS]
        return _matching(options, current)
    command = typed[0]
    if command == "completion":
        return _matching(SHELLS, current)
    parser = _command_parser(command)
    if parser is None:
        return []
    if command == "monitor":
        if len(typed) == 1:
            return _matching(("run", "quality"), current)
        parser = _subparser(parser, typed[1])
        if parser is None:
            return []
    return _for_parser(parser, before, previous, current)


def _for_parser(parser: argparse.ArgumentParser, before: list[str], previous: str, current: str) -> list[str]:
    action = next((a for a in parser._actions if previous in a.option_strings), None)
    if action is not None and action.nargs != 0:  # completing the option's value
        if previous in ENV_OPTIONS:
            return _matching(environment_names(_spec_path(before)), current)
        return _matching([str(choice) for choice in action.choices or ()], current)
    if current.startswith("-"):
        return _matching(sorted(option for a in parser._actions for option in a.option_strings
                                if option.startswith("--")), current)
    return []  # a positional (validate's SPEC): the shell completes file names


def environment_names(spec: Path) -> list[str]:
    """The environments a spec declares, from its YAML alone; none when it cannot be read."""
    import yaml

    try:
        data = yaml.load(spec.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []
    environments = data.get("environments") if isinstance(data, dict) else None
    return [str(name) for name in environments] if isinstance(environments, dict) else []


def _spec_path(words: list[str]) -> Path:
    for option, value in itertools.pairwise(words):
        if option == "--spec":
            return Path(value)
    positional = [word for word in words[2:] if not word.startswith("-")] if words[1:2] == ["validate"] else []
    return Path(positional[0]) if positional else Path(DEFAULT_SPEC)


def _command_parser(command: str) -> argparse.ArgumentParser | None:
    from fraudspec.cli.main import build_parser

    parser, modules = build_parser([command])
    return _subparser(parser, command) if command in modules else None


def _subparser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser | None:
    subparsers = next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)
    return None if subparsers is None else subparsers.choices.get(name)


def _matching(options: Sequence[str], current: str) -> list[str]:
    return [option for option in options if option.startswith(current)]
