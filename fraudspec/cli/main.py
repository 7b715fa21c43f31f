"""The `fraudspec` entry point: parse arguments, dispatch, and turn errors into exit codes.

This is the only place that decides an exit code from an exception: 1 user error
(FraudspecError), 70 internal error (a bug; traceback saved, not shown), 130 interrupted.
Commands return the other codes themselves (fraudspec.cli.output: 0 ok, 2 a plan with changes
under --detailed-exitcode, 3 findings such as monitoring violations).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from collections.abc import Sequence

from fraudspec import __version__
from fraudspec.cli import crash, output
from fraudspec.cli.output import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_USER
from fraudspec.cli.registry import COMMANDS
from fraudspec.core.errors import FraudspecError

NO_COLOR = "--no-color"
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a process the signal ended
COMPLETE = "__complete"  # what the completion scripts call: not a command people type


class _Parser(argparse.ArgumentParser):
    """argparse exits 2 on bad usage; usage mistakes are user errors here (exit 1)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(EXIT_USER)


def build_parser(argv: Sequence[str]) -> tuple[argparse.ArgumentParser, dict[str, str]]:
    parser = _Parser(prog="fraudspec", description="A fraud-detection model on SageMaker, from one YAML spec.")
    parser.add_argument("--version", action="version", version=f"fraudspec {__version__}")
    parser.add_argument(NO_COLOR, action="store_true",
                        help="no colour (also: NO_COLOR set, or output not a terminal); allowed anywhere")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    chosen = next((a for a in argv if not a.startswith("-")), None)
    modules = {}
    for command in COMMANDS:
        sub = subparsers.add_parser(command.name, help=command.help, description=command.help)
        modules[command.name] = command.module
        # Only the command being run is imported: keeps start-up free of its dependencies.
        if command.name == chosen:
            _module(command.module).add_arguments(sub)
    return parser, modules


def _module(name: str):
    return importlib.import_module(f"fraudspec.cli.commands.{name}")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == [COMPLETE]:
        from fraudspec.cli.completion import complete

        return complete(argv[1:])
    if NO_COLOR in argv:  # accepted in any position, like NO_COLOR itself
        output.disable_colour()
        argv = [arg for arg in argv if arg != NO_COLOR]
    if os.environ.get("FRAUDSPEC_EMULATOR"):  # build/emulator/env.sh (fraudspec.deploy.emulator) sets it
        print(f"[AWS EMULATOR at {os.environ['FRAUDSPEC_EMULATOR']}: aws environments are moto on this machine]",
              file=sys.stderr)
    try:
        return _dispatch(argv)
    except FraudspecError as error:
        for finding in error.findings:
            output.say(f"error: {finding}", sys.stderr)
        return EXIT_USER
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return _broken_pipe()
    except OSError as error:
        path = error.filename2 or error.filename  # os.replace(temp, target) names the target second
        if path is None:
            return _bug()
        # A path the user named (or fraudspec's build/ under it) cannot be read or written.
        print(f"error: cannot use {path}: {error.strerror or error}\n"
              "    hint: check that the path exists, is the right kind (file or folder), is writable and the disk "
              "has room", file=sys.stderr)
        return EXIT_USER
    except Exception as error:
        if _from_aws(error):
            print(f"error: AWS refused or could not be reached: {error}\n"
                  "    hint: check the credentials (AWS_PROFILE or keys), the environment's region and account, "
                  "and that its bucket exists and this identity may use it", file=sys.stderr)
            return EXIT_USER
        return _bug()


def _bug() -> int:
    log = crash.save(traceback.format_exc())
    where = f"the traceback is in {log}" if log else f"no private place for the traceback in {crash.crash_dir()}"
    print(f"internal error: fraudspec hit a bug; {where}. Please report it.", file=sys.stderr)
    return EXIT_INTERNAL


def _broken_pipe() -> int:
    """The reader went away (`fraudspec ... | head`): exit quietly as a process killed by SIGPIPE would
    (128 + 13); stdout points at /dev/null so the interpreter's final flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return EXIT_BROKEN_PIPE


def _from_aws(error: BaseException) -> bool:
    """botocore's and boto3's errors (credentials, permissions, missing resources, failed uploads) are the
    environment's, not bugs.

    Checked by module name so that this module never imports botocore."""
    return any(cls.__module__.startswith(("botocore.", "boto3.")) for cls in type(error).__mro__)


def _dispatch(argv: list[str]) -> int:
    parser, modules = build_parser(argv)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return int(exc.code or 0)
    if not args.command:
        parser.print_help()
        return EXIT_USER
    return int(_module(modules[args.command]).run(args))

if __name__ == "__main__":
    raise SystemExit(main())
