"""An endpoint with challengers, variant by variant: the documents and text of `monitor run`, `monitor
quality` and `drift` when they cover more than the champion, and the side-by-side comparison.

Each variant's part is exactly the single-variant document (`text.execution_document`,
`quality.quality_document`, `text.drift_document`) under `variants`, champion first, so a script reads a
challenger the way it reads the champion. `drift` adds `comparison`: per feature each variant's distance
and threshold, per model-quality metric each variant's value, side by side. Alarms are the champion's.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from fraudspec.core.comparison import SYMBOL
from fraudspec.monitoring.quality.rows import rows_from_summary
from fraudspec.reports.text import alarm_lines, columns, window_text
from fraudspec.spec.model import Variant

# Worst last: a run over several variants reports the worst of their statuses.
STATUS_ORDER = ("Completed", "InsufficientData", "CompletedWithViolations", "Failed")


def worst(statuses: Sequence[str]) -> str:
    return max(statuses, key=lambda status: STATUS_ORDER.index(status) if status in STATUS_ORDER else 0)


def _key(variant: Variant) -> dict[str, str]:
    return {"variant": variant.name, "role": variant.role}


def runs_document(entries: Sequence[tuple[Variant, Mapping[str, Any]]]) -> dict[str, Any]:
    """`monitor run|quality` over variants: the worst status, then each variant's own document."""
    return {"status": worst([doc["status"] for _, doc in entries]),
            "variants": [{**_key(variant), **doc} for variant, doc in entries]}


def render_runs(doc: Mapping[str, Any], render_one: Callable[[Mapping[str, Any]], str]) -> str:
    """Each variant's text under its name, then the alarm changes (the champion's)."""
    parts = [f"Variant {entry['variant']} ({entry['role']})\n{render_one(entry)}" for entry in doc["variants"]]
    return "\n\n".join(parts) + "".join("\n" + line for line in alarm_lines(doc))


def drift_variants_document(entries: Sequence[tuple[Variant, Mapping[str, Any]]]) -> dict[str, Any]:
    """`drift` over variants from each variant's `text.drift_document`: its data and model quality, the
    comparison side by side, and the alarms of the champion (none when it is not among `entries`)."""
    alarms: Mapping[str, Any] = next((doc["alarms"] for variant, doc in entries if variant.role == "champion"),
                  {"states": {}, "recent_changes": []})
    return {
        "endpoint": entries[0][1]["endpoint"],
        "variants": [{**_key(variant), "data_quality": doc["data_quality"], "model_quality": doc["model_quality"]}
                     for variant, doc in entries],
        "comparison": {"drift": _drift_side_by_side(entries), "model_quality": _quality_side_by_side(entries)},
        "alarms": alarms,
    }


def _drift_side_by_side(entries: Sequence[tuple[Variant, Mapping[str, Any]]]) -> list[dict[str, Any]]:
    features: dict[str, dict[str, Any]] = {}  # the champion's feature order, then any a challenger adds
    for variant, doc in entries:
        for drift in doc["data_quality"]["drift"]:
            features.setdefault(drift["feature"], {})[variant.name] = {
                key: drift[key] for key in ("distance", "threshold", "violated")}
    return [{"feature": name, "variants": values} for name, values in features.items()]


def _quality_side_by_side(entries: Sequence[tuple[Variant, Mapping[str, Any]]]) -> list[dict[str, Any]]:
    metrics: dict[str, dict[str, Any]] = {}
    for variant, doc in entries:
        if doc["model_quality"] is None:
            continue
        for row in rows_from_summary(dict(doc["model_quality"])):
            metrics.setdefault(row.metric, {})[variant.name] = {
                "value": None if math.isnan(row.value) else row.value, "threshold": row.threshold,
                "comparison": row.comparison, "violated": row.violated}
    return [{"metric": name, "variants": values} for name, values in metrics.items()]


def render_drift_variants(doc: Mapping[str, Any]) -> str:
    """`drift`'s text over variants: a line per variant, then distances and metrics side by side."""
    variants = doc["variants"]
    names = [entry["variant"] for entry in variants]
    rows = []
    for entry in variants:
        data = entry["data_quality"]
        drifted = sum(d["violated"] for d in data["drift"])
        rows.append((entry["variant"], entry["role"], data["status"], window_text(data["window"]),
                     f"{data['records']['rows']:,}", f"{drifted} / {len(data['drift'])}"))
    lines = [f"{doc['endpoint']} ({doc['environment']}): latest monitoring execution per variant", "",
             *columns(("variant", "role", "status", "window", "rows", "drifted"), rows)]
    for entry in variants:
        if entry["data_quality"]["failure_reason"]:
            lines.append(f"Reason ({entry['variant']}): {entry['data_quality']['failure_reason']}")
    comparison = doc["comparison"]
    if comparison["drift"]:
        cells = [(item["feature"], _thresholds(item["variants"], names),
                  *(_distance(item["variants"].get(name)) for name in names)) for item in comparison["drift"]]
        lines += ["", "Drift distance per variant:", *columns(("feature", "threshold", *names), cells)]
    if doc["model_quality_configured"]:
        lines += ["", *_quality_lines(doc, names)]
    for entry in variants:
        violations = entry["data_quality"]["violations"]
        if violations:
            lines += ["", f"Violations of {entry['variant']} ({len(violations)}):"]
            lines += [f"  {v['feature']}  {v['check']}  {v['description']}" for v in violations]
    alarms = doc["alarms"]
    if alarms["states"]:
        lines += ["", "Alarms (the champion's):"]
        lines += ["  " + line for line in columns(("alarm", "state"), list(alarms["states"].items()))]
    if alarms["recent_changes"]:
        lines += ["", "Recent alarm changes:"]
        lines += [f"  {e['time']}  {e['alarm']}: {e['old']} -> {e['new']}" for e in alarms["recent_changes"]]
    lines += ["", "Files:", *(f"  {e['variant']}: {e['data_quality']['files']}" for e in variants)]
    return "\n".join(lines)


def _quality_lines(doc: Mapping[str, Any], names: Sequence[str]) -> list[str]:
    statuses = [(entry["variant"], entry["model_quality"]) for entry in doc["variants"]]
    head = "Model quality per variant: " + ", ".join(
        f"{name} {summary['status']} ({summary['records']['labelled']:,} labelled)" if summary else f"{name} none yet"
        for name, summary in statuses)
    cells = []
    for item in doc["comparison"]["model_quality"]:
        values = item["variants"]
        some = next(iter(values.values()))
        threshold = "-" if some["threshold"] is None else f"{SYMBOL[some['comparison']]} {some['threshold']:g}"
        cells.append((item["metric"], threshold, *(_metric(values.get(name)) for name in names)))
    return [head, *(columns(("metric", "violated when", *names), cells) if cells else [])]


def _thresholds(values: Mapping[str, Mapping[str, Any]], names: Sequence[str]) -> str:
    """One threshold when the variants' baselines agree, else each variant's in column order."""
    found = [f"{values[name]['threshold']:.4f}" for name in names if name in values]
    return found[0] if len(set(found)) == 1 else " | ".join(found)


def _distance(value: Mapping[str, Any] | None) -> str:
    if value is None:
        return "-"
    number = "-" if value["distance"] is None else f"{value['distance']:.4f}"
    return f"{number} DRIFT" if value["violated"] else number


def _metric(value: Mapping[str, Any] | None) -> str:
    if value is None or value["value"] is None:  # no such metric, or undefined on this data
        return "-"
    return f"{value['value']:.4f} VIOLATED" if value["violated"] else f"{value['value']:.4f}"
