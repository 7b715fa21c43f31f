"""`fraudspec build`: synthesise or read the data, train, check the gate, package model.tar.gz.

For an aws environment it then completes what the environment deploys and locks it: the
monitoring baseline, the monitoring Lambda, the lock entry (specs/<name>.lock.json) and the
environment's terraform/<env>/ rendered from it. Commit both. `--format json` prints the result
(validation metrics, the gate, the model's digest, what was locked) for a CI job to read.

A spec with challengers builds every variant: the champion's result is the document's top level,
each challenger's is under `challengers` (a key present only when the spec has challengers), and
each has its own baseline and lock entries on aws.

numpy, scikit-learn and tqdm are imported only inside `run`, so `fraudspec --help` stays fast.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from fraudspec.cli import options, output
from fraudspec.spec.model import Spec

HEADLINE = ("roc_auc", "pr_auc", "precision", "recall")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_spec_arguments(parser)
    parser.add_argument("--no-progress", action="store_true", help="do not show the progress bar")
    output.add_format_argument(parser)


def run(args: argparse.Namespace) -> int:
    from fraudspec.artifact.pipeline import build_variants

    spec = options.load(args)
    champion, *challengers = build_variants(spec, progress=not args.no_progress)
    rendered: list[str] = []  # text: after the lock's lines; json: progress on stderr
    echo = rendered.append if args.format == "text" else output.progress_echo(args.format)
    locked = _lock(spec, echo) if spec.environment.target == "aws" else []
    variants = {"challengers": [{"variant": built.variant, "role": built.spec.variant.role,
                                 **_built(built.result)} for built in challengers]} if challengers else {}
    doc = output.document("build", environment=spec.environment.name, **_built(champion.result), locked=locked,
                          **variants)
    output.emit(args.format, doc, lambda d: "\n".join([render(d), *rendered]))
    return output.EXIT_OK


def _built(result: Any) -> dict[str, Any]:
    """One variant's build as the document shows it (the champion's at the top level)."""
    from fraudspec.core import jsonfile

    gate = jsonfile.load(result.metrics_json, "model metrics", "build again").get("gate", {})
    return {"cached": result.cached, "model": {"sha256": result.sha256, "path": _shown(result.model_tar)},
            "data": {"train": _shown(result.train_csv), "validation": _shown(result.validation_csv)},
            "metrics_file": _shown(result.metrics_json), "validation": dict(result.metrics), "gate": gate}


def render(doc: dict[str, Any]) -> str:
    lines = _variant_lines(doc)
    for challenger in doc.get("challengers", []):
        lines += [f"challenger {challenger['variant']} ({challenger['role']})",
                  *(f"  {line}" for line in _variant_lines(challenger))]
    return "\n".join(lines + doc["locked"])


def _variant_lines(doc: dict[str, Any]) -> list[str]:
    lines = ["model unchanged: the inputs match the last build, so nothing was retrained"] if doc["cached"] else []
    validation = doc["validation"]
    lines += [f"data      {doc['data']['train']}, {doc['data']['validation']}",
              f"metrics   {doc['metrics_file']}",
              "validation " + "  ".join(f"{name} {validation[name]:.4f}" for name in HEADLINE if name in validation),
              *(f"gate      {line}" for line in gate_lines(doc["gate"])),
              f"{doc['model']['sha256']}  {doc['model']['path']}"]
    return lines


def gate_lines(gate: dict[str, Any]) -> list[str]:
    """metrics.json's gate, one metric a line: measured, minimum, verdict (build and apply print it)."""
    return [f"{name} {r['measured']:.4f} >= {r['minimum']:g} {'passed' if r['passed'] else 'FAILED'}"
            for name, r in sorted(gate.items())]


def _lock(spec: Spec, echo: Any) -> list[str]:
    """Baseline, Lambda, lock entry and terraform/<env>/; the lock's lines (render's go to `echo`)."""
    from fraudspec.deploy import glue_package, lambda_package
    from fraudspec.lock.record import record_built
    from fraudspec.monitoring.engine.baseline import write_baseline
    from fraudspec.render.artifacts import needed_kinds, needs_monitor_lambda
    from fraudspec.render.environment import render_environment

    for view in spec.variant_specs:
        write_baseline(view)
    if needs_monitor_lambda(spec):
        lambda_package.build(spec)
    if "monitor_glue" in needed_kinds(spec):
        glue_package.build(spec)
    lines = record_built(spec, needed_kinds(spec), whole_entry=True).lines()
    render_environment(spec, echo)
    return lines


def _shown(path: Path) -> str:
    """Relative to the working directory when that is shorter."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return relative if len(relative) < len(str(path)) else str(path)
