"""Every subcommand, registered in this one list.

A command module lives in `fraudspec.cli.commands` and defines
    add_arguments(parser: argparse.ArgumentParser) -> None
    run(args: argparse.Namespace) -> int        # the exit code; raise FraudspecError for user errors
It unpacks the namespace and calls typed functions of the pipeline stages; nothing below the
command module sees argparse. Modules are imported only when their command runs, so heavy
libraries stay off the start-up path of every other command.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    name: str
    module: str
    help: str


COMMANDS: tuple[Command, ...] = (
    Command("validate", "validate", "check a spec: JSON Schema plus semantic rules, every error located"),
    Command("show", "show", "print the effective spec of one environment as a spec (--explain: where each value "
                            "came from)"),
    Command("schema", "schema", "print the spec's JSON Schema"),
    Command(
        "baseline",
        "baseline",
        "profile the training data into statistics.json and constraints.json (aws: and lock them)",
    ),
    Command("monitor", "monitor", "run a monitoring execution: `monitor run` (data quality), `monitor quality` "
                                  "(model quality); exit 3 on violations"),
    Command(
        "build",
        "build",
        "train and package model.tar.gz (cached); for an aws environment also baseline, Lambda, lock and render",
    ),
    Command(
        "render",
        "render",
        "write terraform/<env>/ from the spec and the lock, every aws environment by default (--check)",
    ),
    Command("plan", "plan", "render, then show what Terraform would change, every aws environment by default "
                            "(--detailed-exitcode)"),
    Command("apply", "apply", "deploy: start the local runtime, or publish and apply Terraform on aws"),
    Command(
        "promote",
        "promote",
        "give an environment exactly another's locked artifacts: copied, verified, never retrained",
    ),
    Command(
        "diff", "diff", "what a change does per environment (spec, lock, Terraform) against a git ref; text, markdown "
        "or json"
    ),
    Command("cost", "cost", "the monthly AWS cost of each aws environment, line by line with formulas (--format json)"),
    Command("destroy", "destroy", "stop the local runtime, or delete everything an aws environment created"),
    Command("status", "status", "local: is the runtime up, what it serves, its alarms; aws: what is deployed"),
    Command("invoke", "invoke", "send one request to the environment's endpoint"),
    Command("drift", "drift", "the latest monitoring executions, drift, violations and alarms; exit 3 on "
                              "violations"),
    Command("traffic", "traffic", "send generated (optionally drifted) transactions to the endpoint"),
    Command("completion", "completion", "print a shell completion script: bash, zsh or fish"),
)
