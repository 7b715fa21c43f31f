"""`fraudspec completion bash|zsh|fish`: print the shell's completion script (see fraudspec.cli.completion)."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from fraudspec.cli.completion import SHELLS

    parser.add_argument("shell", choices=SHELLS,
                        help='the shell; e.g. eval "$(fraudspec completion bash)" in ~/.bashrc')


def run(args: argparse.Namespace) -> int:
    from fraudspec.cli.completion import SCRIPTS

    print(SCRIPTS[args.shell], end="")
    return 0
