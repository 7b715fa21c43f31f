"""`fraudspec invoke --env E --data '{...}'`: one request to the environment's endpoint.

Local targets are called over HTTP, aws targets through sagemaker-runtime; the response body is
printed as the endpoint sent it. `--variant NAME` sends it to that production variant (TargetVariant);
on an endpoint with challengers, the variant that answered is named on stderr.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fraudspec.cli import options
from fraudspec.core.errors import FraudspecError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_spec_arguments(parser)
    parser.add_argument("--data", required=True, help="the request body, or @FILE to read it from a file")
    parser.add_argument("--content-type", default="application/json", help="application/json (default) or text/csv")
    parser.add_argument("--accept", default="application/json", help="application/json (default) or text/csv")
    parser.add_argument("--inference-id", help="an id recorded with the captured request (joins ground truth)")
    parser.add_argument("--variant", metavar="NAME",
                        help="the production variant to answer (TargetVariant); default: drawn by weight")


def run(args: argparse.Namespace) -> int:
    from fraudspec.client.http import Request
    from fraudspec.client.targets import caller_for, check_target_variant

    spec = options.load(args)
    if args.variant is not None:
        check_target_variant(spec, args.variant)
    request = Request(_body(args.data), args.content_type, args.accept, args.inference_id, args.variant)
    answer = caller_for(spec)()(request)
    status, body = answer.status, answer.body
    if not 200 <= status < 300:
        message = body.decode(errors="replace") if status else f"no response: {body.decode(errors='replace')}"
        raise FraudspecError(f"the endpoint answered {status or 'nothing'}: {message}", hint=_hint(status, spec))
    sys.stdout.write(body.decode(errors="replace").rstrip("\n") + "\n")
    if spec.endpoint.challengers and answer.variant:
        sys.stderr.write(f"answered by variant {answer.variant}\n")
    return 0


def _hint(status: int, spec) -> str:
    if status == 406:
        return "ask for --accept application/json or text/csv"
    if status == 415:
        return "send --content-type application/json or text/csv"
    if 400 <= status < 500:
        return "fix the request body (one JSON object keyed by feature name, or CSV in feature order)"
    return f"check `fraudspec status --env {spec.environment.name}` and its log"


def _body(data: str) -> bytes:
    if not data.startswith("@"):
        return data.encode()
    path = Path(data[1:])
    try:
        return path.read_bytes()
    except OSError as exc:
        raise FraudspecError(
            f"cannot read {path}: {exc.strerror or exc}", hint="give --data @PATH of a readable file"
        ) from None
