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
    from fraudspec.reports.drift import drift_report, quality_summary
    from fraudspec.reports.text import render_report

    spec = options.load(args)
    report = drift_report(spec)
    print(render_report(report))
    if spec.monitoring.model_quality is not None:
        print("\n" + _quality(quality_summary(spec), spec.environment.name))
    if args.html:
        from fraudspec.core.files import write_atomic
        from fraudspec.reports.html_report import render_html

        write_atomic(Path(args.html), render_html(report).encode())
        print(f"\nwrote {args.html}")
    return 0


def _quality(summary: dict | None, env: str) -> str:
    from fraudspec.monitoring.quality.rows import rows_from_summary
    from fraudspec.reports.quality import render_rows

    if summary is None:
        return f"Model quality: no execution yet (`fraudspec monitor quality --env {env}`)"
    records = summary["records"]
    lines = [f"Model quality: latest execution {summary['status']}, {records['labelled']} labelled of "
             f"{records['predictions']} prediction(s), {records['unmatched_labels']} unmatched label(s)"]
    return "\n".join(lines + ["  " + line for line in render_rows(rows_from_summary(summary))])
