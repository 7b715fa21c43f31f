"""`fraudspec status --env local`: is the local runtime up, what does it serve, how are its alarms."""

from __future__ import annotations

import argparse

from fraudspec.cli import options


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_spec_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from fraudspec.core.errors import FraudspecError
    from fraudspec.monitoring.alarms.files import read_alarm_states
    from fraudspec.runtime import process as runtime

    spec = options.load(args)
    if spec.environment.target != "local":
        raise FraudspecError(f"`fraudspec status` describes local runtimes; '{spec.environment.name}' is on aws",
                             hint=f"use `fraudspec drift --env {spec.environment.name}` or the CloudWatch dashboard")
    info = runtime.running(spec)
    if info is None:
        print(f"{spec.environment.name}: not running (start it with `fraudspec apply --env {spec.environment.name}`)")
        return 1
    healthy = runtime.ping(info.url)
    print(f"{spec.environment.name}: running, pid {info.pid}, since {info.started}, "
          f"{'healthy' if healthy else 'NOT answering /ping'}")
    print(f"endpoint  {spec.names.endpoint} at {info.url}/invocations")
    print(f"schedule  {spec.monitoring.schedule.source} ({spec.monitoring.schedule.expression}, "
          f"{spec.monitoring.schedule.timezone})")
    print(f"log       {info.log}")
    states = read_alarm_states(spec.workspace.alarm_states)
    for name, state in sorted(states.items()):
        print(f"alarm     {name}: {state}")
    return 0 if healthy else 1
