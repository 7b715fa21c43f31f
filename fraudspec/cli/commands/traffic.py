"""`fraudspec traffic --env E --n 1000 [--drift amount=x3,txn_count_1h=+5] [--rate R]`.

Sends generated transactions (the build's generator, optionally drifted) to the environment's
endpoint, one per request, and reports what was acknowledged and how fast. On an endpoint with
challengers it also reports how many each production variant answered; `--variant NAME` sends every
request to that one (TargetVariant).
"""

from __future__ import annotations

import argparse
import math
import secrets
import sys

from fraudspec.cli import options, output

MAX_LABEL_DELAY_HOURS = 8760  # a year, like the spec's label_delay_hours


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_spec_arguments(parser)
    parser.add_argument("--n", type=int, default=100, help="requests to send (default 100)")
    parser.add_argument("--drift", help="drift to apply, e.g. amount=x3,txn_count_1h=+5 (see README)")
    parser.add_argument(
        "--rate", type=float, help="at most this many requests per second (default: as fast as possible)"
    )
    parser.add_argument("--concurrency", type=int, default=4, help="requests in flight (default 4)")
    parser.add_argument("--seed", type=int, help="generator seed (default: random, printed)")
    parser.add_argument("--format", choices=("json", "csv"), default="json", help="request body format (default json)")
    parser.add_argument(
        "--ground-truth",
        action="store_true",
        help="also write the generator's labels as ground truth (monitoring.model_quality)",
    )
    parser.add_argument(
        "--label-noise",
        type=float,
        default=0.0,
        metavar="FRACTION",
        help="with --ground-truth: share of labels flipped (degraded ground truth), default 0",
    )
    parser.add_argument(
        "--label-delay-hours",
        type=float,
        default=0.0,
        metavar="HOURS",
        help="with --ground-truth: how much later the labels arrive, default 0",
    )
    parser.add_argument("--variant", metavar="NAME",
                        help="send every request to this production variant (TargetVariant); "
                             "default: drawn by the variants' weights")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from fraudspec.client.http import percentile, send_all
    from fraudspec.client.targets import caller_for, check_target_variant
    from fraudspec.client.traffic import make_traffic
    from fraudspec.core.errors import FraudspecError

    if args.n < 1 or args.concurrency < 1 or (args.rate is not None and not 0 < args.rate < math.inf):
        raise FraudspecError("--n, --concurrency and --rate must be positive", hint="e.g. --n 1000 --rate 50")
    if not 0 <= args.label_noise <= 1 or not 0 <= args.label_delay_hours <= MAX_LABEL_DELAY_HOURS:
        raise FraudspecError(
            f"--label-noise is a fraction in [0, 1] and --label-delay-hours is 0 to {MAX_LABEL_DELAY_HOURS}",
            hint="e.g. --ground-truth --label-noise 0.2 --label-delay-hours 1",
        )
    spec = options.load(args)
    if args.variant is not None:
        check_target_variant(spec, args.variant)
    if args.ground_truth:
        from fraudspec.monitoring.jobs.for_spec import model_quality

        model_quality(spec)  # labels are for model quality: say so before sending anything
    seed = args.seed if args.seed is not None else secrets.randbelow(2**31)
    content_type = "text/csv" if args.format == "csv" else "application/json"
    traffic = make_traffic(spec, args.n, seed, args.drift, content_type, args.variant)
    make_call = caller_for(spec)
    with tqdm(total=args.n, disable=args.no_progress, file=sys.stderr, leave=False, unit="req") as bar:
        result = send_all(make_call, traffic.requests, args.concurrency, args.rate, bar.update)
    drift = f", drift {args.drift}" if args.drift else ""
    print(
        f"sent {result.sent} request(s) to {spec.names.endpoint} (seed {seed}{drift}) in {result.seconds:.2f} s: "
        f"{result.acknowledged} acknowledged, {result.sent - result.acknowledged} failed"
    )
    if result.latencies_ms:
        print(
            f"latency p50 {percentile(result.latencies_ms, 0.5):.2f} ms, "
            f"p99 {percentile(result.latencies_ms, 0.99):.2f} ms; "
            f"{result.sent / result.seconds:.0f} requests/s"
        )
    if spec.endpoint.challengers:
        print("answered by variant: " + ", ".join(f"{name} {count}" for name, count in sorted(result.variants.items())))
    if result.first_error:
        print(f"first error: {result.first_error}")
    if args.ground_truth:
        from fraudspec.client.traffic import write_labels

        where = write_labels(spec, traffic, seed, args.label_noise, args.label_delay_hours, result.inference_ids)
        print(
            f"wrote {len(traffic.labels)} ground-truth label(s) (noise {args.label_noise:.0%}, "
            f"delay {args.label_delay_hours:g} h) under {where}"
        )
    return output.EXIT_OK if result.acknowledged == result.sent else output.EXIT_FINDINGS  # 3: some went unanswered
