"""`fraudspec drift --env E [--html report.html]`: the newest monitoring execution, its
distances and violations, the latest model-quality execution, and the alarms (local files, or S3
reports and CloudWatch on aws).

Exit codes: 0 when the newest executions completed without violations; 3 when either has
violations or failed; 1 a user error (e.g. no execution yet).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from fraudspec.cli import options, output

FAILING = ("CompletedWithViolations", "Failed")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_spec_arguments(parser)
    parser.add_argument("--html", metavar="FILE", help="also write a self-contained HTML report to FILE")
    output.add_format_argument(parser)


def run(args: argparse.Namespace) -> int:
    from fraudspec.reports.drift import drift_report, quality_summary
    from fraudspec.reports.text import drift_document

    spec = options.load(args)
    report = drift_report(spec)
    summary = quality_summary(spec) if spec.monitoring.model_quality is not None else None
    doc = output.document("drift", environment=spec.environment.name, **drift_document(report, summary),
                          model_quality_configured=spec.monitoring.model_quality is not None, html=args.html)
    if args.html:
        from fraudspec.core.files import write_atomic
        from fraudspec.reports.html_report import render_html

        write_atomic(Path(args.html), render_html(report, summary).encode())
    output.emit(args.format, doc, _render)
    statuses = [doc["data_quality"]["status"], (summary or {}).get("status")]
    return output.EXIT_FINDINGS if any(status in FAILING for status in statuses) else output.EXIT_OK


def _render(doc: dict[str, Any]) -> str:
    from fraudspec.reports.quality import render_latest
    from fraudspec.reports.text import render_drift

    text = render_drift(doc)
    if doc["model_quality_configured"]:
        hint = output.run_hint(f"monitor quality --env {doc['environment']}")
        text += "\n\n" + render_latest(doc["model_quality"], hint)
    if doc["html"]:
        text += f"\n\nwrote {doc['html']}"
    return text
