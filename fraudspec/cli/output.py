"""How commands print: `--format text|json` from one document, colour only where it helps.

A command builds one JSON-ready document (a dict with `format_version` and `command`) and either
prints it as JSON or renders its text from that same document, as Terraform's `-json` and human
outputs are both views of one plan. The shapes are versioned and documented in docs/json-output.md:
adding a key keeps FORMAT_VERSION, renaming or removing one bumps it.

Colour: only when stdout is a terminal, NO_COLOR is unset (https://no-color.org) and `--no-color`
was not given; JSON is never coloured.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import os
import re
import sys
from collections.abc import Callable
from typing import Any, TextIO

FORMAT_VERSION = 1
FORMATS = ("text", "json")

# Exit codes, one meaning each across every command (README "Exit codes").
EXIT_OK = 0
EXIT_USER = 1  # a user error: invalid spec, bad input, a failed gate, a refused change
EXIT_CHANGES = 2  # `plan --detailed-exitcode`: the plan has changes (Terraform's meaning)
EXIT_FINDINGS = 3  # the command ran and what it checked is not healthy: violations, a failed execution, a down runtime
EXIT_INTERNAL = 70  # a fraudspec bug (sysexits' EX_SOFTWARE): never 2, which a plan gate reads as "changes"
EXIT_INTERRUPTED = 130

_colour_disabled = False  # --no-color, set once by cli.main
_RED, _GREEN, _YELLOW, _RESET = "\033[31m", "\033[32m", "\033[33m", "\033[0m"
_WORDS = {
    _RED: ("DRIFT", "VIOLATED", "ALARM", "Failed", "CompletedWithViolations", "WARNING", "NOT answering",
           "not running", "error:"),
    _GREEN: ("Completed", "OK", "healthy", "valid", "No violations.", "No changes:"),
    _YELLOW: ("INSUFFICIENT_DATA", "InsufficientData", "note:", "Note:", "hint:", "next:"),
}
_COLOUR = {word: colour for colour, words in _WORDS.items() for word in words}


@functools.cache
def _pattern() -> re.Pattern[str]:
    """Compiled on first use: most runs print no colour, and start-up time counts (bench/cli_startup.py)."""
    return re.compile("|".join(rf"(?<![\w-]){re.escape(word)}(?![\w-])"
                               for word in sorted(_COLOUR, key=len, reverse=True)))


def disable_colour() -> None:
    global _colour_disabled
    _colour_disabled = True


def colour_enabled(stream: TextIO) -> bool:
    if _colour_disabled or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def colourise(text: str, stream: TextIO) -> str:
    """`text` with its status words coloured when `stream` is a terminal that wants colour."""
    if not colour_enabled(stream):
        return text
    return _pattern().sub(lambda match: f"{_COLOUR[match.group(0)]}{match.group(0)}{_RESET}", text)


def say(text: str = "", stream: TextIO | None = None) -> None:
    """Print human text (coloured on a terminal), its `fraudspec ...` hints spelled to paste as they are:
    the stages write `fraudspec`, which is not on PATH after `make apply`."""
    stream = stream or sys.stdout
    program = fraudspec_command()
    if program != "fraudspec":
        text = text.replace("`fraudspec ", f"`{program} ")
    print(colourise(text, stream), file=stream)


def add_format_argument(parser: argparse.ArgumentParser, *, text_name: str = "text") -> None:
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help=f"{text_name} for people (default), or json for scripts (versioned, see "
                             "docs/json-output.md)")


def document(command: str, **payload: Any) -> dict[str, Any]:
    """The envelope every JSON output shares."""
    return {"format_version": FORMAT_VERSION, "command": command, **payload}


def emit(fmt: str, doc: dict[str, Any], render: Callable[[dict[str, Any]], str]) -> None:
    """Print `doc` as JSON, or the text `render` makes of it."""
    if fmt == "json":
        print(json.dumps(_json_ready(doc), indent=2, allow_nan=False, default=str))
    else:
        say(render(doc))


def _json_ready(value: Any) -> Any:
    """JSON has no NaN or infinity: an undefined number is null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _json_ready(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_ready(item) for item in value]
    return value


def progress_echo(fmt: str) -> Callable[[str], None]:
    """Where a command's progress lines go: stdout for text, stderr when stdout carries JSON."""
    if fmt == "json":
        return lambda line: print(line, file=sys.stderr)
    return say


def fraudspec_command() -> str:
    """How to run fraudspec so that a hint pastes as it is: `fraudspec` when that name on PATH is this
    program, else the path this one was started as (`.venv/bin/fraudspec` under make)."""
    import shutil

    argv0 = sys.argv[0] if sys.argv else ""
    if os.path.basename(argv0) != "fraudspec":  # python -m fraudspec, a test runner: hints as written
        return "fraudspec"
    on_path = shutil.which("fraudspec")
    if on_path and os.path.realpath(on_path) == os.path.realpath(argv0):
        return "fraudspec"
    relative = os.path.relpath(argv0)
    return relative if os.sep in relative else f"./{relative}"


def run_hint(arguments: str) -> str:
    """`fraudspec ARGUMENTS` in backquotes, spelled so that it runs where it is pasted."""
    return f"`{fraudspec_command()} {arguments}`"
