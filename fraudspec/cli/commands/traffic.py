"""`fraudspec traffic --env E --n 1000 [--drift amount=x3,txn_count_1h=+5] [--rate R]`.

Sends generated transactions (the build's generator, optionally drifted) to the environment's
endpoint, one per request, and reports what was acknowledged and how fast.
"""

from __future__ import annotations

import argparse
import secrets
import sys

from fraudspec.cli import options


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_spec_arguments(parser)
    parser.add_argument("--n", type=int, default=100, help="requests to send (default 100)")
    parser.add_argument("--drift", help="drift to apply, e.g. amount=x3,txn_count_1h=+5 (see README)")
    parser.add_argument("--rate", type=float, help="at most this many requests per second (default: as fast as possible)")
    parser.add_argument("--concurrency", type=int, default=4, help="requests in flight (default 4)")
    parser.add_argument("--seed", type=int, help="generator seed (default: random, printed)")
    parser.add_argument("--format", choices=("json", "csv"), default="json", help="request body format (default json)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from fraudspec.errors import FraudspecError
    from fraudspec.serve.client import percentile, send_all
    from fraudspec.serve.targets import caller_for
    from fraudspec.serve.traffic import make_traffic

    if args.n < 1 or args.concurrency < 1 or (args.rate is not None and args.rate <= 0):
        raise FraudspecError("--n, --concurrency and --rate must be positive", hint="e.g. --n 1000 --rate 50")
    spec = options.load(args)
    seed = args.seed if args.seed is not None else secrets.randbelow(2**31)
    content_type = "text/csv" if args.format == "csv" else "application/json"
    traffic = make_traffic(spec, args.n, seed, args.drift, content_type)
    make_call = caller_for(spec)
    with tqdm(total=args.n, disable=args.no_progress, file=sys.stderr, leave=False, unit="req") as bar:
        result = send_all(make_call, traffic.requests, args.concurrency, args.rate, bar.update)
    drift = f", drift {args.drift}" if args.drift else ""
    print(f"sent {result.sent} request(s) to {spec.names.endpoint} (seed {seed}{drift}) in {result.seconds:.2f} s: "
          f"{result.acknowledged} acknowledged, {result.sent - result.acknowledged} failed")
    if result.latencies_ms:
        print(f"latency p50 {percentile(result.latencies_ms, 0.5):.2f} ms, p99 {percentile(result.latencies_ms, 0.99):.2f} ms; "
              f"{result.sent / result.seconds:.0f} requests/s")
    if result.first_error:
        print(f"first error: {result.first_error}")
    return 0 if result.acknowledged == result.sent else 1
