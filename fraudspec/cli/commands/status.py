"""`fraudspec status --env E`: local, is the runtime up, what does it serve, how are its alarms; aws, what is
deployed, read from AWS (fraudspec.deploy.status).

Exit codes: 0 running and answering /ping; 3 not running or not answering; 1 a user error.
`--format json` has a `target` key: this shape is the local target's; an aws branch adds its own
keys beside the shared ones (environment, target, endpoint, alarms) under the same format_version.
"""

from __future__ import annotations

import argparse
from typing import Any

from fraudspec.cli import options, output


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_spec_arguments(parser)
    output.add_format_argument(parser)


def run(args: argparse.Namespace) -> int:

    spec = options.load(args)
    if spec.environment.target != "local":
        from fraudspec.deploy import status as deployed  # what is deployed, read from AWS

        doc = output.document("status", **deployed.read(spec))
        output.emit(args.format, doc, deployed.render)
        return output.EXIT_OK if doc["status"] == "InService" else output.EXIT_FINDINGS
    doc = output.document("status", **local_status(spec))
    output.emit(args.format, doc, render)
    return output.EXIT_OK if doc["healthy"] else output.EXIT_FINDINGS


def local_status(spec: Any) -> dict[str, Any]:
    from fraudspec.monitoring.alarms.files import read_alarm_states
    from fraudspec.runtime import process as runtime
    from fraudspec.runtime.endpoint_metrics import summary

    info = runtime.running(spec)
    schedule = spec.monitoring.schedule
    variants = {}
    if spec.endpoint.challengers:  # the key only where there is more than one variant, like build's
        from fraudspec.runtime.variants import describe

        variants = {"variants": describe(spec)}
    return {
        "environment": spec.environment.name,
        "target": "local",
        "endpoint": spec.names.endpoint,
        "running": info is not None,
        "healthy": info is not None and runtime.ping(info.url),
        "runtime": None if info is None else {"pid": info.pid, "started": info.started, "url": info.url,
                                              "invocations": f"{info.url}/invocations", "log": str(info.log)},
        "schedule": {"source": schedule.source, "expression": schedule.expression, "timezone": schedule.timezone},
        "alarms": dict(sorted(read_alarm_states(spec.workspace.alarm_states).items())),
        "endpoint_metrics": summary(spec),  # the newest alarm period's, and capture failures so far
        **variants,
    }


def render(doc: dict[str, Any]) -> str:
    env, runtime = doc["environment"], doc["runtime"]
    if runtime is None:
        return f"{env}: not running (start it with {output.run_hint(f'apply --env {env}')})"
    schedule = doc["schedule"]
    lines = [f"{env}: running, pid {runtime['pid']}, since {runtime['started']}, "
             f"{'healthy' if doc['healthy'] else 'NOT answering /ping'}",
             f"endpoint  {doc['endpoint']} at {runtime['invocations']}",
             f"schedule  {schedule['source']} ({schedule['expression']}, {schedule['timezone']})",
             f"log       {runtime['log']}"]
    for variant in doc.get("variants", []):
        shown = variant["endpoint_metrics"]["metrics"]
        newest = "".join(f", {name} {shown[name]:g}" for name in ("Invocations", "ModelLatency") if name in shown)
        lines.append(f"variant   {variant['name']}: {variant['role']}, weight {variant['weight']:g}{newest}")
    metrics = doc["endpoint_metrics"]
    if metrics["period_end"]:
        lines.append(f"metrics   period to {metrics['period_end']}: "
                     + ", ".join(f"{name} {value:g}" for name, value in sorted(metrics["metrics"].items())))
    lines.append(f"capture   {metrics['capture_failures']} record(s) could not be written")
    lines += [f"alarm     {name}: {state}" for name, state in doc["alarms"].items()]
    return "\n".join(lines)
