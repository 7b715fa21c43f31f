"""Benchmark of the monitoring engine, with whylogs and Evidently on the same data when installed.

    python bench/monitoring.py [--rows 1000000] [--runs 1] [--work DIR] [--keep]

Data: the spec's five numeric features from fraudspec's synthetic generator, a baseline of --rows
rows and a current sample of --rows rows with `amount` scaled by 1.5, written as a training CSV and as
SageMaker capture files (50,000 CSV records per file, one hour folder). Each measured phase runs in
its own process, so its peak memory (max RSS) is its own:

    baseline        in-memory columns -> statistics + suggested/customized constraints + JSON
    baseline-csv    the same from the training CSV (what `fraudspec baseline` does)
    execution       capture files -> statistics, violations, metrics, reports on disk
    execution-spaced  the same records written with a space after ':' and ',' (any layout but
                    SageMaker's compact one is parsed by pyarrow's JSON reader), no target
    drift-memory    in-memory current columns -> statistics + the six checks (what Evidently does)
    whylogs         whylogs profile of the baseline DataFrame          (needs whylogs, pandas)
    evidently       Evidently DataDriftPreset, current vs baseline     (needs evidently, pandas)

The comparison packages are the optional `bench` extra: whylogs==1.6.4, evidently==0.7.23 and
pandas<3 (evidently 0.7.23 imports a pandas internal that pandas 3 removed). They clash with nothing
of fraudspec's but are heavy, so they live in a virtualenv of their own:

    python3 -m venv build/tools/bench && build/tools/bench/bin/pip install -e '.[bench]'
    build/tools/bench/bin/python bench/monitoring.py

Every phase reports its wall seconds and its CPU seconds (all threads): on a machine shared with other
work the CPU seconds move less. With --runs N every phase runs N times, one after another in fresh
processes, and the table gives each measure's range (min-max); targets are held to the median run.

Targets (issue 14, 2 cores): baseline <= 1.0 s, baseline-csv <= 0.5 s, execution (1 M capture lines)
<= 1.0 s, peak memory <= 1.5 GB, >= 5x faster than whylogs (baseline), >= 10x faster than Evidently
for the drift computation in memory (drift-memory) and for the whole execution from capture files
(execution). Exit code 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

FEATURES = ("txn_count_1h", "txn_amount_1h", "merchant_count_24h", "avg_amount_7d", "amount")
HOUR = datetime(2024, 5, 1, 10, tzinfo=timezone.utc)
ENDPOINT, VARIANT, SCHEDULE = "bench-endpoint", "AllTraffic", "bench-schedule"
LINES_PER_FILE = 50_000
TARGETS = {"baseline": 1.0, "baseline-csv": 0.5, "execution": 1.0}
MEMORY_TARGET_MB = 1536
SPEEDUP_TARGETS = {("whylogs", "baseline"): 5.0, ("evidently", "drift-memory"): 10.0, ("evidently", "execution"): 10.0}


def monitoring_spec():
    from fraudspec.spec.model import DriftSpec, MonitoringSpec, Schedule, frozen_map

    return MonitoringSpec(Schedule("hourly", "cron(0 * ? * * *)", "cron(0 * ? * * *)"),
                          drift=DriftSpec(features=frozen_map({"amount": 0.05})))


# --- data (not timed) --------------------------------------------------------------------------


def make_data(work: Path, rows: int) -> None:
    import numpy as np

    from fraudspec.training.dataset import write_csv
    from fraudspec.training.synthetic import generate, generate_drifted

    baseline = generate(FEATURES, rows, seed=7)
    current = generate_drifted(FEATURES, rows, seed=8, drift="amount=x1.5")
    np.save(work / "baseline.npy", baseline.X)
    np.save(work / "current.npy", current.X)
    write_csv(baseline, work / "train.csv")
    folder = work / "capture" / ENDPOINT / VARIANT / HOUR.strftime("%Y/%m/%d/%H")
    folder.mkdir(parents=True)
    output = '{\\"is_fraud\\":0,\\"fraud_probability\\":0.0123,\\"confidence\\":0.9877}'
    rows_text = [",".join(_number(v) for v in row) for row in current.X.tolist()]
    spaced = work / "capture-spaced" / ENDPOINT / VARIANT / HOUR.strftime("%Y/%m/%d/%H")
    spaced.mkdir(parents=True)
    for start in range(0, rows, LINES_PER_FILE):
        name = f"{start // LINES_PER_FILE:02d}-00-000-bench.jsonl"
        text = "".join(
            '{"captureData":{"endpointInput":{"observedContentType":"text/csv","mode":"INPUT",'
            f'"data":"{data}","encoding":"CSV"}},"endpointOutput":{{"observedContentType":'
            f'"application/json","mode":"OUTPUT","data":"{output}","encoding":"JSON"}}}},'
            f'"eventMetadata":{{"eventId":"00000000-0000-0000-0000-{i:012d}",'
            '"inferenceTime":"2024-05-01T10:21:48Z"},"eventVersion":"0"}\n'
            for i, data in enumerate(rows_text[start : start + LINES_PER_FILE], start)
        )
        (folder / name).write_text(text)
        (spaced / name).write_text(text.replace('":"', '": "').replace('","', '", "'))


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


# --- phases (each in its own process) ------------------------------------------------------------


class Clock:
    """Wall and CPU time (every thread of the process) from its creation: what a phase measures."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def elapsed(self) -> dict[str, float]:
        return {"seconds": time.perf_counter() - self.wall, "cpu_seconds": time.process_time() - self.cpu}


def phase_baseline(work: Path) -> dict:
    import numpy as np

    from fraudspec.core import jsonfile
    from fraudspec.monitoring.engine import constraints, statistics
    from fraudspec.monitoring.engine.baseline import compute_baseline
    from fraudspec.monitoring.engine.table import numeric_table

    X = np.load(work / "baseline.npy")
    started = Clock()
    table = numeric_table({name: X[:, j] for j, name in enumerate(FEATURES)})
    stats, cons = compute_baseline(table, (), monitoring_spec())
    documents = jsonfile.dumps(statistics.to_json(stats)), jsonfile.dumps(constraints.to_json(cons))
    return {**started.elapsed(), "bytes": sum(map(len, documents))}


def phase_baseline_csv(work: Path) -> dict:
    from fraudspec.core import jsonfile
    from fraudspec.monitoring.engine import constraints, statistics
    from fraudspec.monitoring.engine.baseline import compute_baseline, read_training_csv

    started = Clock()
    table = read_training_csv(work / "train.csv", FEATURES)
    stats, cons = compute_baseline(table, (), monitoring_spec())
    (work / "statistics.json").write_bytes(jsonfile.dumps(statistics.to_json(stats)))
    (work / "constraints.json").write_bytes(jsonfile.dumps(constraints.to_json(cons)))
    return {**started.elapsed(), "rows": table.rows}


def phase_execution(work: Path, capture: str = "capture") -> dict:
    from fraudspec.monitoring.engine.baseline import load_baseline
    from fraudspec.monitoring.engine.execution import run_execution, write_reports
    from fraudspec.monitoring.engine.metrics import metric_data
    from fraudspec.monitoring.records.hours import Window
    from fraudspec.monitoring.records.sinks import LocalSink
    from fraudspec.monitoring.records.sources import LocalCaptureSource, window_blocks

    baseline, cons = load_baseline(work / "statistics.json", work / "constraints.json", "bench")
    started = Clock()
    source = LocalCaptureSource(work / capture, ENDPOINT, VARIANT)
    window = Window(HOUR, HOUR.replace(hour=11))
    blocks = window_blocks(source, window)
    result = run_execution(blocks, baseline, cons, window, FEATURES)
    write_reports(result, LocalSink(work / f"reports-{capture}"), ENDPOINT, SCHEDULE)
    metrics = metric_data(result)
    return {**started.elapsed(), "lines": result.counts.lines, "status": result.status,
            "violations": [f"{v.feature_name}:{v.constraint_check_type}" for v in result.violations],
            "metrics": len(metrics)}


def phase_execution_spaced(work: Path) -> dict:
    return phase_execution(work, "capture-spaced")


def phase_drift_memory(work: Path) -> dict:
    import numpy as np

    from fraudspec.monitoring.engine import checks
    from fraudspec.monitoring.engine.baseline import load_baseline
    from fraudspec.monitoring.engine.statistics import profile
    from fraudspec.monitoring.engine.table import numeric_table

    baseline, cons = load_baseline(work / "statistics.json", work / "constraints.json", "bench")
    X = np.load(work / "current.npy")
    started = Clock()
    table = numeric_table({name: X[:, j] for j, name in enumerate(FEATURES)})
    current = profile(table, {f.name: f.inferred_type for f in cons.features})
    result = checks.evaluate(baseline, cons, table, current)
    return {**started.elapsed(), "violations": len(result.violations)}


def phase_whylogs(work: Path) -> dict:
    import numpy as np
    import pandas as pd
    import whylogs

    frame = pd.DataFrame(np.load(work / "baseline.npy"), columns=FEATURES)
    started = Clock()
    whylogs.log(frame).view()
    return {**started.elapsed(), "version": whylogs.__version__}


def phase_evidently(work: Path) -> dict:
    import evidently
    import numpy as np
    import pandas as pd
    from evidently import Report
    from evidently.presets import DataDriftPreset

    reference = pd.DataFrame(np.load(work / "baseline.npy"), columns=FEATURES)
    current = pd.DataFrame(np.load(work / "current.npy"), columns=FEATURES)
    started = Clock()
    Report([DataDriftPreset()]).run(current, reference).dict()
    return {**started.elapsed(), "version": evidently.__version__}


PHASES = {
    "baseline": phase_baseline,
    "baseline-csv": phase_baseline_csv,
    "execution": phase_execution,
    "execution-spaced": phase_execution_spaced,
    "drift-memory": phase_drift_memory,
    "whylogs": phase_whylogs,
    "evidently": phase_evidently,
}
OPTIONAL = {"whylogs": ("whylogs", "pandas"), "evidently": ("evidently", "pandas")}


def run_phase(name: str, work: Path) -> dict | None:
    """The phase's measurements from a fresh process; None when its package is not installed."""
    command = [sys.executable, __file__, "--phase", name, "--work", str(work)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode == 3:
        return None
    if done.returncode != 0:
        raise SystemExit(f"phase {name} failed:\n{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])


def child(name: str, work: Path) -> int:
    import importlib.util

    if any(importlib.util.find_spec(package) is None for package in OPTIONAL.get(name, ())):
        return 3
    measured = PHASES[name](work)
    measured["peak_mb"] = peak_mb()
    print(json.dumps(measured))
    return 0


def peak_mb() -> float:
    """This process's peak RSS. Linux's ru_maxrss survives exec (it would count the parent's memory at
    fork), so read the address space's own high-water mark where there is one."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--work", type=Path, help="data folder (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the data folder")
    parser.add_argument("--runs", type=int, default=1, help="run every phase this many times (default 1)")
    parser.add_argument("--phase", choices=PHASES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        return child(args.phase, args.work)
    work = args.work or Path(tempfile.mkdtemp(prefix="fraudspec-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        print(f"generating {args.rows:,} baseline rows and {args.rows:,} capture lines in {work} ...", flush=True)
        make_data(work, args.rows)
        os.sync()  # the data's writeback would otherwise compete with the first phases
        runs = [{name: run_phase(name, work) for name in PHASES} for _ in range(max(1, args.runs))]
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return report(runs)


def _range(values: list[float], digits: int) -> str:
    low, high = min(values), max(values)
    return f"{low:.{digits}f}" if f"{low:.{digits}f}" == f"{high:.{digits}f}" else f"{low:.{digits}f}-{high:.{digits}f}"


def report(runs: list[dict[str, dict | None]]) -> int:
    """The table of every phase (ranges over the runs) and the targets, held to the median run."""
    missed = []
    median = {name: _median([run[name] for run in runs]) for name in runs[0]}
    print(f"\n{'phase':<17}{'seconds':>12}{'cpu s':>12}{'peak MB':>10}  notes (median run)")
    for name, measured in median.items():
        if measured is None:
            hint = "pip install whylogs==1.6.4 evidently==0.7.23 'pandas<3'"
            print(f"{name:<17}{'-':>12}{'-':>12}{'-':>10}  not installed ({hint})")
            continue
        each = [run[name] for run in runs]
        columns = [_range([m[key] for m in each if m], digits) for key, digits in
                   (("seconds", 2), ("cpu_seconds", 2), ("peak_mb", 0))]
        notes = {k: v for k, v in measured.items() if k not in ("seconds", "cpu_seconds", "peak_mb")}
        print(f"{name:<17}{columns[0]:>12}{columns[1]:>12}{columns[2]:>10}  {json.dumps(notes)}")
        if name in TARGETS and measured["seconds"] > TARGETS[name]:
            missed.append(f"{name} took {measured['seconds']:.2f} s (target {TARGETS[name]} s)")
        if name not in OPTIONAL and measured["peak_mb"] > MEMORY_TARGET_MB:
            missed.append(f"{name} peaked at {measured['peak_mb']:.0f} MB (target {MEMORY_TARGET_MB} MB)")
    for (other, ours), target in SPEEDUP_TARGETS.items():
        if median.get(other) and median.get(ours):
            ratios = [theirs["seconds"] / mine["seconds"] for run in runs
                      if (theirs := run[other]) is not None and (mine := run[ours]) is not None]
            speedup = sorted(ratios)[len(ratios) // 2]
            print(f"{ours} is {_range(ratios, 1)}x faster than {other} (median {speedup:.1f}x, target {target:g}x)")
            if speedup < target:
                missed.append(f"{ours} only {speedup:.1f}x faster than {other}")
    for line in missed:
        print(f"MISSED: {line}")
    return 1 if missed else 0


def _median(measured: list[dict | None]) -> dict | None:
    """The run whose wall seconds are the median (the lower one of an even count)."""
    present = sorted((m for m in measured if m is not None), key=lambda m: m["seconds"])
    return present[(len(present) - 1) // 2] if present else None


if __name__ == "__main__":
    raise SystemExit(main())
