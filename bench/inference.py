"""Benchmark of the portable predictor (the artifact's own code/inference.py) against scikit-learn.

    python bench/inference.py [--algorithm random_forest|gradient_boosting|logistic_regression|all]
                              [--repeat 3000] [--rows 20000]

Model: the seed spec's model - five numeric features, --rows synthetic rows (seed 7), random_forest
with 100 trees of max_depth 10 (the other algorithms with fraudspec's defaults) - built by
`fraudspec.artifact.pipeline.build` into a temporary project, unpacked, and served through the
artifact's code/inference.py. The scikit-learn model is refitted on the build's train.csv, which
gives the identical model (training is deterministic).

Measured (one process, no warm-up counted):
    single   the model on one parsed record, p50 / p99    vs   predict_proba on one row
    request  handle (parse, predict, render) of one JSON record, p50 / p99
    batch    the model on 10,000 parsed records           vs   predict_proba on the same rows
Targets: single p50 <= 0.3 ms and >= 5x faster than scikit-learn's single-row call; batch time
within 2x of scikit-learn's. Exit code 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

FEATURES = ("txn_count_1h", "txn_amount_1h", "merchant_count_24h", "avg_amount_7d", "amount")
ALGORITHMS = ("random_forest", "gradient_boosting", "logistic_regression")
HYPERPARAMETERS = {"random_forest": {"n_estimators": 100, "max_depth": 10}}
SINGLE_P50_MS, SINGLE_SPEEDUP, BATCH_RATIO, BATCH_ROWS = 0.3, 5.0, 2.0, 10_000


def make_spec(root: Path, algorithm: str, rows: int):
    from fraudspec.spec.model import (
        AlarmsSpec,
        CaptureSpec,
        EndpointSpec,
        Environment,
        Feature,
        ModelSpec,
        MonitoringSpec,
        Schedule,
        ServerlessEndpoint,
        Spec,
        SyntheticData,
        frozen_map,
    )

    model = ModelSpec(features=tuple(Feature(name) for name in FEATURES), target="is_fraud",
                      data=SyntheticData(rows=rows, seed=7), algorithm=algorithm,
                      hyperparameters=frozen_map(HYPERPARAMETERS.get(algorithm, {})))
    return Spec(path=root / "specs" / "bench.yaml", name="bench", team="rc", project="bench", model=model,
                endpoint=EndpointSpec(serverless=ServerlessEndpoint()), capture=CaptureSpec(),
                monitoring=MonitoringSpec(Schedule("hourly", "cron(0 * ? * * *)", "cron(0 * ? * * *)")),
                alarms=AlarmsSpec(), environment=Environment(name="local"), environments=("local",))


def timings_ms(call, repeat: int) -> list[float]:
    for _ in range(min(100, repeat)):  # warm-up: caches, lazy imports
        call()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1e3)
    return samples


def percentile(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


def best_ms(call, repeat: int = 5) -> float:
    return min(timings_ms(call, repeat))


def bench(algorithm: str, repeat: int, rows: int, work: Path) -> dict:
    import numpy as np

    from fraudspec.artifact.loader import extract, load_handler
    from fraudspec.artifact.pipeline import build
    from fraudspec.training import train
    from fraudspec.training.dataset import read_csv
    from fraudspec.training.synthetic import generate

    os.environ.pop("FRAUDSPEC_CAPTURE_DESTINATION", None)  # measure prediction, not capture
    spec = make_spec(work / algorithm, algorithm, rows)
    result = build(spec, progress=False)
    model_dir = extract(result.model_tar, work / algorithm / "model")
    handler = load_handler(model_dir)
    model = handler.model_fn(str(model_dir))
    manifest = json.loads((model_dir / "manifest.json").read_text())
    train_set = read_csv(result.train_csv, spec.model.features, "is_fraud")
    fitted = train.fit(algorithm, manifest["hyperparameters"], train_set.X, train_set.y)

    traffic = generate(spec.model.features, BATCH_ROWS, seed=99).X
    one_row = traffic[:1]
    one_json = json.dumps(dict(zip(FEATURES, one_row[0].tolist())))
    one_record = handler.payload.parse(one_json, "application/json", model.encoder).raw
    batch = handler.payload.parse(json.dumps({"instances": traffic.tolist()}), "application/json", model.encoder).raw
    assert np.allclose(model.fraud_probability(batch), fitted.predict_proba(traffic)[:, 1],
                       rtol=0, atol=1e-9)

    ours = timings_ms(lambda: model.fraud_probability(one_record), repeat)
    theirs = timings_ms(lambda: fitted.predict_proba(one_row), max(200, repeat // 10))
    request = timings_ms(
        lambda: handler.handle(model, one_json, "application/json", None),
        repeat,
    )
    batch_ours = best_ms(lambda: model.fraud_probability(batch))
    batch_theirs = best_ms(lambda: fitted.predict_proba(traffic))
    return {
        "algorithm": algorithm,
        "single_p50_ms": percentile(ours, 50), "single_p99_ms": percentile(ours, 99),
        "sklearn_single_p50_ms": percentile(theirs, 50), "sklearn_single_p99_ms": percentile(theirs, 99),
        "request_p50_ms": percentile(request, 50), "request_p99_ms": percentile(request, 99),
        "batch_ms": batch_ours, "sklearn_batch_ms": batch_theirs,
        "batch_rows_per_s": BATCH_ROWS / batch_ours * 1e3, "sklearn_batch_rows_per_s": BATCH_ROWS / batch_theirs * 1e3,
    }


def verdicts(r: dict) -> list[tuple[str, bool]]:
    speedup = r["sklearn_single_p50_ms"] / r["single_p50_ms"]
    ratio = r["batch_ms"] / r["sklearn_batch_ms"]
    return [
        (f"single p50 {r['single_p50_ms']:.3f} ms <= {SINGLE_P50_MS} ms", r["single_p50_ms"] <= SINGLE_P50_MS),
        (f"single {speedup:.1f}x faster than scikit-learn (>= {SINGLE_SPEEDUP}x)", speedup >= SINGLE_SPEEDUP),
        (f"batch {ratio:.2f}x scikit-learn's time (<= {BATCH_RATIO}x)", ratio <= BATCH_RATIO),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--algorithm", choices=[*ALGORITHMS, "all"], default="random_forest")
    parser.add_argument("--repeat", type=int, default=3000, help="timed single-record calls (default 3000)")
    parser.add_argument("--rows", type=int, default=20000, help="training rows (default 20000)")
    args = parser.parse_args()
    algorithms = ALGORITHMS if args.algorithm == "all" else (args.algorithm,)
    print(f"cores {os.cpu_count()}, python {sys.version.split()[0]}, "
          f"{args.repeat} single calls, batch {BATCH_ROWS} rows")
    ok = True
    with tempfile.TemporaryDirectory(prefix="fraudspec-bench-") as work:
        for algorithm in algorithms:
            r = bench(algorithm, args.repeat, args.rows, Path(work))
            print(f"\n{algorithm}")
            print(f"  single   model        p50 {r['single_p50_ms']:.3f} ms  p99 {r['single_p99_ms']:.3f} ms"
                  f"   scikit-learn p50 {r['sklearn_single_p50_ms']:.3f} ms  p99 {r['sklearn_single_p99_ms']:.3f} ms")
            print(f"  request  handle  "
                  f"p50 {r['request_p50_ms']:.3f} ms  p99 {r['request_p99_ms']:.3f} ms")
            print(f"  batch    model        {r['batch_ms']:.1f} ms ({r['batch_rows_per_s']:,.0f} rows/s)"
                  f"   scikit-learn {r['sklearn_batch_ms']:.1f} ms ({r['sklearn_batch_rows_per_s']:,.0f} rows/s)")
            for text, passed in verdicts(r):
                print(f"  {'PASS' if passed else 'MISS'}  {text}")
                ok = ok and passed
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
