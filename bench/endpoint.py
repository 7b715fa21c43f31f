"""Load on the local endpoint over loopback: latency and throughput, with capture at 100 % and off.

Targets (issue #6, 2-core machine): p50 <= 2 ms and p99 <= 10 ms at concurrency 1; >= 1,000
requests/s at concurrency 16; capture overhead <= 10 % (throughput at concurrency 16).
The runtime runs as the real background process of a temporary project (the example spec's
model, on a free port); the load generator is this process (threads, keep-alive connections),
so client and server share the machine's cores, as they would on a laptop.
Usage: .venv/bin/python bench/endpoint.py [--requests 5000]
"""

from __future__ import annotations

import argparse
import shutil
import socket
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fraudspec.client.http import http_caller, percentile, send_all  # noqa: E402
from fraudspec.client.traffic import make_traffic  # noqa: E402
from fraudspec.runtime import local  # noqa: E402
from fraudspec.runtime import process as runtime  # noqa: E402
from fraudspec.spec.load import load_spec  # noqa: E402


def _project(directory: Path, capture: bool) -> Path:
    spec = yaml.safe_load((ROOT / "specs" / "fraud-detection.yaml").read_text())
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    spec["environments"] = {"local": {"target": "local", "port": port}}
    spec["capture"] = {"enabled": capture, "sampling_percent": 100}
    spec["monitoring"] = {"enabled": capture}
    path = directory / "specs" / "fraud-detection.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    return path


def _measure(spec_path: Path, total: int) -> dict[str, float]:
    spec = load_spec(spec_path, "local")
    info = local.apply(spec, progress=False).info
    try:
        requests = make_traffic(spec, total, seed=1).requests
        send_all(lambda: http_caller(info.url), requests[:500], concurrency=4)  # warm-up
        single = send_all(lambda: http_caller(info.url), requests[: total // 5], concurrency=1)
        loaded = send_all(lambda: http_caller(info.url), requests, concurrency=16)
        assert single.acknowledged == single.sent and loaded.acknowledged == loaded.sent, "errors under load"
        return {
            "p50": percentile(single.latencies_ms, 0.5),
            "p99": percentile(single.latencies_ms, 0.99),
            "rps1": single.sent / single.seconds,
            "rps16": loaded.sent / loaded.seconds,
            "p99_16": percentile(loaded.latencies_ms, 0.99),
        }
    finally:
        runtime.stop(spec)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=5000)
    total = parser.parse_args().requests
    work = Path(tempfile.mkdtemp(prefix="fraudspec-bench-"))
    try:
        results = {}
        for capture in (True, False):
            directory = work / ("capture" if capture else "no-capture")
            results[capture] = _measure(_project(directory, capture), total)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for capture, r in results.items():
        print(f"capture {'100%' if capture else 'off '}: c1 p50 {r['p50']:.2f} ms, p99 {r['p99']:.2f} ms, "
              f"{r['rps1']:.0f} req/s | c16 {r['rps16']:.0f} req/s, p99 {r['p99_16']:.2f} ms")
    on, off = results[True], results[False]
    overhead = 1 - on["rps16"] / off["rps16"]
    print(f"capture overhead at c16: {overhead:.1%} throughput; at c1: {1 - on['rps1'] / off['rps1']:.1%} throughput, "
          f"p50 +{on['p50'] - off['p50']:.2f} ms")
    checks = {
        "p50 <= 2 ms at c1": on["p50"] <= 2,
        "p99 <= 10 ms at c1": on["p99"] <= 10,
        ">= 1000 req/s at c16": on["rps16"] >= 1000,
        "capture overhead <= 10 %": overhead <= 0.10,
    }
    for name, met in checks.items():
        print(f"{'met   ' if met else 'MISSED'} {name}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
