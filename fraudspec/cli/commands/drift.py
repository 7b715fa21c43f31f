"""`fraudspec drift --env E [--html report.html]`: the newest monitoring execution, its
distances and violations, the latest model-quality execution, and the alarms (local files, or S3
reports and CloudWatch on aws).

With challengers (endpoint.challengers) it covers every variant, champion first, or the one
`--variant` names: per feature each variant's distance side by side, model quality per variant, and
the alarms (the champion's); `--html` adds the same comparison above each variant's own sections.

Exit codes: 0 when the newest executions completed without violations; 3 when any has
violations or failed; 1 a user error (e.g. no execution yet).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from fraudspec.cli import options, output
from fraudspec.cli.commands.quality import add_variant_argument

FAILING = ("CompletedWithViolations", "Failed")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_spec_arguments(parser)
    parser.add_argument("--html", metavar="FILE", help="also write a self-contained HTML report to FILE")
    add_variant_argument(parser)
    output.add_format_argument(parser)


def run(args: argparse.Namespace) -> int:
    from fraudspec.reports.drift import drift_report, quality_summary
    from fraudspec.reports.text import drift_document

    spec = options.load(args)
    if spec.endpoint.challengers:
        return _run_variants(args, spec)
    from fraudspec.monitoring.jobs.for_spec import variant_views

    variant_views(spec, args.variant)  # an unknown name is an error even without challengers
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


def _run_variants(args: argparse.Namespace, spec: Any) -> int:
    from fraudspec.reports.drift import variant_drifts
    from fraudspec.reports.text import drift_document
    from fraudspec.reports.variants import drift_variants_document

    drifts = variant_drifts(spec, args.variant)
    entries = [(each.variant, drift_document(each.report, each.quality)) for each in drifts]
    doc = output.document("drift", environment=spec.environment.name, **drift_variants_document(entries),
                          model_quality_configured=spec.monitoring.model_quality is not None, html=args.html)
    if args.html:
        from fraudspec.core.files import write_atomic
        from fraudspec.reports.html_variants import render_variants_html

        write_atomic(Path(args.html), render_variants_html(drifts).encode())
    output.emit(args.format, doc, _render_variants)
    statuses = [status for entry in doc["variants"]
                for status in (entry["data_quality"]["status"], (entry["model_quality"] or {}).get("status"))]
    return output.EXIT_FINDINGS if any(status in FAILING for status in statuses) else output.EXIT_OK


def _render_variants(doc: dict[str, Any]) -> str:
    from fraudspec.reports.variants import render_drift_variants

    text = render_drift_variants(doc)
    if doc["model_quality_configured"] and not any(entry["model_quality"] for entry in doc["variants"]):
        text += ("\n\nhint: no model-quality execution yet; run "
                 + output.run_hint(f"monitor quality --env {doc['environment']}"))
    return text + (f"\n\nwrote {doc['html']}" if doc["html"] else "")
