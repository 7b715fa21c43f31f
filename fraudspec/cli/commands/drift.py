"""`fraudspec drift --env E [--html report.html]`: the newest monitoring execution, its
distances and violations, and the alarms (local files, or S3 reports and CloudWatch on aws)."""

from __future__ import annotations

import argparse
from pathlib import Path

from fraudspec.cli import options


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_spec_arguments(parser)
    parser.add_argument("--html", metavar="FILE", help="also write a self-contained HTML report to FILE")


def run(args: argparse.Namespace) -> int:
    from fraudspec.monitor.report import render_report
    from fraudspec.serve.drift import drift_report

    report = drift_report(options.load(args))
    print(render_report(report))
    if args.html:
        from fraudspec.monitor.html_report import render_html
        from fraudspec.monitor.storage import write_atomic

        write_atomic(Path(args.html), render_html(report).encode())
        print(f"\nwrote {args.html}")
    return 0
