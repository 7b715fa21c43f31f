"""The local runtime process: the endpoint with data capture, and scheduled monitoring.

Started by `fraudspec apply --env local` (see runtime.py) or in the foreground with
`--foreground`. It serves until SIGTERM or SIGINT, finishing in-flight requests.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, cast

from fraudspec.core.errors import FraudspecError
from fraudspec.monitoring.records.hours import Window
from fraudspec.runtime import process as runtime
from fraudspec.runtime.http import app_for, bind, make_server
from fraudspec.runtime.idle import Activity, IdleWatch
from fraudspec.runtime.monitoring import LocalRun, run_quality_scheduled, run_scheduled
from fraudspec.runtime.scheduler import SYSTEM_CLOCK, Clock, Scheduler, Timetable
from fraudspec.runtime.variants import Variants
from fraudspec.spec.load import load_spec
from fraudspec.spec.model import Schedule, Spec

log = logging.getLogger("fraudspec.runtime")


def serve(spec: Spec, digest: str) -> None:
    """Runs the runtime in this process until it is told to stop."""
    _exit_cleanly_on_signals()
    variants = Variants.load(spec)  # every variant's model, each capturing under its own variant
    sock = bind(spec.environment.port)
    host, port = sock.getsockname()[:2]
    url = f"http://{host}:{port}"
    schedulers = _schedulers(spec, SYSTEM_CLOCK)
    for scheduler in schedulers:
        scheduler.start()
    started = datetime.now(timezone.utc).isoformat(timespec="seconds")
    runtime.write_info(spec, runtime.RuntimeInfo(pid=os.getpid(), url=url, digest=digest, started=started,
                                                 log=str(spec.workspace.runtime_log)))
    log.info("serving %s on %s, variants %s (schedule %s)", spec.names.endpoint, url,
             ", ".join(f"{v.name} ({v.role} {v.weight:g})" for v in spec.endpoint.variants),
             spec.monitoring.schedule.expression)
    activity = Activity(variants, SYSTEM_CLOCK)
    server = make_server(app_for(spec, cast(Variants, activity)))
    idle = _idle_watch(spec, activity, server, SYSTEM_CLOCK)
    try:
        server.run(sockets=[sock])
    finally:
        if idle is not None:
            idle.stop()
        for scheduler in schedulers:
            scheduler.stop()
        spec.workspace.runtime_info.unlink(missing_ok=True)
        # Levels say what happened: a clean stop is news, lost captures are a problem.
        level = logging.WARNING if variants.capture_failures else logging.INFO
        log.log(level, "stopped; %d capture failure(s) during this run", variants.capture_failures)


def _exit_cleanly_on_signals() -> None:
    """SIGTERM and SIGINT end the process through Python, so `serve`'s clean-up (runtime.json removed,
    the socket closed) always runs. uvicorn handles both while it serves, then raises the signal
    again for the previous handler: with the default SIGTERM handler that killed the process before
    its clean-up, and a signal before uvicorn starts would too."""
    if threading.current_thread() is not threading.main_thread():
        return

    def exit_cleanly(number: int, frame: object) -> None:
        raise SystemExit(0)

    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, exit_cleanly)


def _idle_watch(spec: Spec, activity: Activity, server: Any, clock: Clock) -> IdleWatch | None:
    """environments.<env>.idle_after_days: stop serving, as a graceful SIGTERM would, once idle that long."""
    if spec.environment.idle_after_days is None:
        return None

    def stop() -> None:
        server.should_exit = True

    watch = IdleWatch(spec, activity, clock, stop)
    watch.start()
    return watch


def _schedulers(spec: Spec, clock: Clock) -> list[Scheduler]:
    """Data-quality monitoring on its schedule, and model quality on its own when configured; rates
    count from now, on `clock`."""
    if not spec.monitoring.enabled:
        return []
    jobs: list[tuple[str, Schedule, Callable[[Spec, Window], LocalRun[Any]]]] = [
        ("data quality", spec.monitoring.schedule, run_scheduled)]
    if spec.monitoring.model_quality is not None:
        jobs.append(("model quality", spec.monitoring.model_quality.schedule, run_quality_scheduled))
    now = clock.now()
    return [Scheduler(Timetable(schedule, now), _runner(spec, what, job), clock) for what, schedule, job in jobs]


def _runner(spec: Spec, what: str, job: Callable[[Spec, Window], LocalRun[Any]]) -> Callable[[Window], None]:
    def run(window: Window) -> None:
        for each in job(spec, window).runs:  # the champion's run, then each challenger's
            _logged(what if each.variant.role == "champion" else f"{what} ({each.variant.name})", each, window)

    return run


def _logged(what: str, run: LocalRun[Any], window: Window) -> None:
    level = logging.WARNING if run.result.status in ("CompletedWithViolations", "Failed") else logging.INFO
    log.log(level, "scheduled %s run for [%s, %s): %s", what, window.start.isoformat(), window.end.isoformat(),
            run.result.status)
    for change in run.transitions:
        log.log(logging.WARNING if change.new == "ALARM" else logging.INFO,
                "alarm %s: %s -> %s (%s)", change.alarm, change.old, change.new, change.reason)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="fraudspec-runtime")
    parser.add_argument("--spec", required=True)
    parser.add_argument("--env", required=True)
    parser.add_argument("--digest", required=True)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        serve(load_spec(Path(args.spec), args.env), args.digest)
    except FraudspecError as error:
        for finding in error.findings:
            print(f"error: {finding}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
