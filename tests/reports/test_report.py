"""The printed summary: status, window, counts, a row per feature, violations, where reports went."""

from __future__ import annotations

from fraudspec.monitoring.engine.execution import run_execution
from fraudspec.reports.text import execution_document, render, window_text
from tests.monitoring.conftest import WINDOW, baseline_of, blocks, capture_line


def test_render_lists_features_violations_and_files() -> None:
    statistics, constraints = baseline_of(["n", "m"], [[str(i), str(i)] for i in range(100)])
    lines = [capture_line(f"{i + 500},{i}") for i in range(100)] + [capture_line(",7"), "oops"]
    result = run_execution(blocks(*lines), statistics, constraints, WINDOW, ["n", "m"])
    text = render(execution_document(result, ["/reports/statistics.json"]))
    assert text.splitlines()[:3] == [
        "Monitoring execution: CompletedWithViolations",
        "Window:  [2024-05-01T10:00:00Z, 2024-05-01T11:00:00Z)",
        "Records: 102 line(s), 101 read (101 row(s)), 1 malformed",
    ]
    rows = {line.split()[0]: line.split() for line in text.splitlines() if line.startswith(("n ", "m "))}
    assert rows["n"][1:3] == ["Integral", "99.0%"] and rows["n"][-1] == "DRIFT"
    assert rows["m"][-1] == "ok"
    assert "  n  completeness_check    Value: 0.9900990099009901 does not meet the constraint requirement!" in text
    assert "capture.jsonl:102: not a JSON record" in text
    assert text.endswith("Reports:\n  /reports/statistics.json")


def test_render_of_a_failed_execution_gives_the_reason_and_no_table() -> None:
    statistics, constraints = baseline_of(["n"], [["1"]])
    text = render(execution_document(run_execution([], statistics, constraints, WINDOW, ["n"])))
    assert "Reason:  Job inputs had no data: no capture records in [2024-05-01T10:00:00Z, 2024-05-01T11:00:00Z)" in text
    assert "feature" not in text and "No violations" not in text


def test_an_on_demand_window_never_prints_as_an_empty_interval() -> None:
    same_second = {"start": "2026-12-01T16:48:34.120000Z", "end": "2026-12-01T16:48:34.560000Z", "on_demand": True}
    assert window_text(same_second) == ("on demand at 2026-12-01T16:48:34Z: what was captured since the previous "
                                        "on-demand run")
    longer = {**same_second, "start": "2026-12-01T15:00:00Z"}
    assert window_text(longer) == "on demand: everything captured from 2026-12-01T15:00:00Z to 2026-12-01T16:48:34Z"
    hour = {"start": "2026-12-01T15:00:00Z", "end": "2026-12-01T16:00:00Z", "on_demand": False}
    assert window_text(hour) == "[2026-12-01T15:00:00Z, 2026-12-01T16:00:00Z)"


def test_the_document_carries_what_the_text_shows() -> None:
    statistics, constraints = baseline_of(["n"], [[str(i)] for i in range(100)])
    result = run_execution(blocks(*[capture_line(str(i + 500)) for i in range(100)]), statistics, constraints,
                           WINDOW, ["n"])
    document = execution_document(result, on_demand=False)
    assert document["status"] == "CompletedWithViolations"
    assert document["features"][0]["result"] == "drift" and document["window"]["end"] == "2024-05-01T11:00:00Z"
    assert f"{document['features'][0]['distance']:.4f}" in render(document)
