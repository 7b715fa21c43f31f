"""Local monitoring of an endpoint with a challenger: every run covers each variant, each with its own
capture, baseline, reports, metrics history and cursor; only the champion's runs evaluate alarms."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from pathlib import Path

import pytest

from fraudspec.core.errors import FraudspecError
from fraudspec.monitoring.jobs.for_spec import JobRequest, run_for_spec, run_quality_for_spec, variant_views
from fraudspec.monitoring.records.hours import Window
from fraudspec.runtime import daemon
from fraudspec.runtime.monitoring import (
    run_quality_scheduled,
    run_quality_since_last,
    run_scheduled,
    run_since_last,
)
from fraudspec.spec.load import load_spec
from tests.monitoring.challengers import CHALLENGER, CHAMPION, capture, labels, load_challenger_spec, request_line
from tests.monitoring.conftest import HOUR

H = timedelta(hours=1)


def _drifted(run) -> set[str]:
    return {d.feature for d in run.result.drifts if d.violated}


def test_a_scheduled_run_checks_each_variants_capture_against_its_own_baseline(tmp_path: Path) -> None:
    spec = load_challenger_spec(tmp_path)
    capture(spec, CHAMPION, HOUR, [request_line(i, 0.1) for i in range(100)])
    capture(spec, CHALLENGER, HOUR, [request_line(i, 0.1) for i in range(34)])  # a shadow gets a share

    run = run_scheduled(spec, Window(HOUR, HOUR + H))

    champion, challenger = run.runs
    assert (champion.variant.name, challenger.variant.name) == (CHAMPION, CHALLENGER)
    assert run is champion, "callers that know one variant read the champion's run"
    assert (champion.result.counts.rows, challenger.result.counts.rows) == (100, 34)
    # the same traffic: in line with the champion's baseline (amount 10-60), far from the challenger's (500-550)
    assert champion.result.status == "Completed" and _drifted(champion) == set()
    assert challenger.result.status == "CompletedWithViolations" and _drifted(challenger) == {"amount"}
    view = spec.for_variant(CHALLENGER)
    own = spec.workspace.root / "variants" / CHALLENGER / "monitoring"
    assert {Path(p).parent for p in challenger.written} == {
        own / "reports" / spec.names.endpoint / f"{spec.names.monitoring_schedule}-gbm" / "2024/05/01/11"}
    assert {Path(p).parent for p in champion.written} == {
        spec.workspace.reports / spec.names.endpoint / spec.names.monitoring_schedule / "2024/05/01/11"}
    assert view.workspace.metrics_history("data") == own / "data-metrics.jsonl"
    history = [json.loads(line) for line in (own / "data-metrics.jsonl").read_text().splitlines()]
    assert len(history) == 1 and history[0]["metrics"]["feature_baseline_drift_amount"] > 0.5
    champion_history = spec.workspace.metrics_history("data").read_text().splitlines()
    assert json.loads(champion_history[0])["metrics"]["feature_baseline_drift_amount"] < 0.1


def test_alarms_stay_the_champions(tmp_path: Path) -> None:
    spec = load_challenger_spec(tmp_path)
    capture(spec, CHAMPION, HOUR, [request_line(i, 0.1) for i in range(100)])
    capture(spec, CHALLENGER, HOUR, [request_line(i, 0.1) for i in range(30)])

    run = run_scheduled(spec, Window(HOUR, HOUR + H))

    states = json.loads(spec.workspace.alarm_states.read_text())
    assert states and set(states.values()) == {"OK"}, "the champion's drift alarms were evaluated"
    assert run.challengers[0].transitions == ()
    assert not spec.for_variant(CHALLENGER).workspace.alarm_states.exists()
    logged = [json.loads(line) for line in spec.workspace.alarm_log.read_text().splitlines()]
    assert logged and {event["new"] for event in logged} == {"OK"}, "the challenger's drift pages nobody"


def test_on_demand_runs_keep_a_cursor_per_variant(tmp_path: Path) -> None:
    spec = load_challenger_spec(tmp_path)
    capture(spec, CHAMPION, HOUR, [request_line(i, 0.1) for i in range(60)])
    capture(spec, CHALLENGER, HOUR, [request_line(i, 0.1) for i in range(20)])
    first = run_since_last(spec, now=HOUR + H)
    assert [r.result.counts.rows for r in first.runs] == [60, 20]
    assert spec.for_variant(CHALLENGER).workspace.cursor("data").is_file()

    capture(spec, CHALLENGER, HOUR, [request_line(i, 0.1) for i in range(20, 27)])  # the challenger's only
    second = run_since_last(spec, now=HOUR + 2 * H)
    assert [r.result.counts.rows for r in second.runs] == [0, 7]
    assert second.result.status == "Failed", "the champion saw nothing new"

    capture(spec, CHAMPION, HOUR, [request_line(i, 0.1) for i in range(5)])
    only = run_since_last(spec, now=HOUR + 3 * H, variant=CHAMPION)
    assert [(r.variant.name, r.result.counts.rows) for r in only.runs] == [(CHAMPION, 5)]


def test_model_quality_joins_the_shared_labels_to_each_variants_predictions(tmp_path: Path) -> None:
    spec = load_challenger_spec(tmp_path)
    truth = [(i, i % 2) for i in range(40)]
    capture(spec, CHAMPION, HOUR, [request_line(i, 0.9 if y else 0.1) for i, y in truth])  # right every time
    capture(spec, CHALLENGER, HOUR, [request_line(i, 0.1) for i, _ in truth])  # never flags fraud
    labels(spec, HOUR, truth)

    run = run_quality_scheduled(spec, Window(HOUR, HOUR + H))

    champion, challenger = run.runs
    assert (champion.result.counts.labelled, challenger.result.counts.labelled) == (40, 40)
    assert champion.result.metrics.values["recall"] == 1.0 and champion.result.status == "Completed"
    assert challenger.result.metrics.values["recall"] == 0.0
    assert challenger.result.status == "CompletedWithViolations" and challenger.transitions == ()
    reports = spec.for_variant(CHALLENGER).workspace.reports / spec.names.endpoint
    assert {Path(p).parent.parent.parent.parent.parent.name for p in challenger.written} == {
        f"{spec.names.model_quality_schedule}-gbm"}
    assert all(Path(p).is_relative_to(reports) for p in challenger.written)
    quality_history = spec.for_variant(CHALLENGER).workspace.metrics_history("quality")
    assert json.loads(quality_history.read_text())["metrics"]["recall"] == 0.0

    again = run_quality_since_last(spec, now=HOUR + 2 * H, variant=CHALLENGER)
    assert [(r.variant.name, r.result.counts.labelled) for r in again.runs] == [(CHALLENGER, 40)]


def test_on_request_runs_read_the_views_capture_and_baseline(tmp_path: Path) -> None:
    spec = load_challenger_spec(tmp_path)
    capture(spec, CHAMPION, HOUR, [request_line(i, 0.1) for i in range(50)])
    capture(spec, CHALLENGER, HOUR, [request_line(i, 0.9) for i in range(10)])
    labels(spec, HOUR, [(i, 1) for i in range(50)])
    request = JobRequest(start=HOUR, end=HOUR + H)
    champion, challenger = (run_for_spec(view, request, now=HOUR + H) for view in variant_views(spec))
    assert (champion.result.counts.rows, challenger.result.counts.rows) == (50, 10)
    assert "-data-quality-gbm/" in challenger.reports[0]
    quality = run_quality_for_spec(spec.for_variant(CHALLENGER), request, now=HOUR + H).result
    assert (quality.counts.predictions, quality.metrics.values["recall"]) == (10, 1.0)


def test_an_unknown_variant_names_the_known_ones(tmp_path: Path) -> None:
    spec = load_challenger_spec(tmp_path)
    with pytest.raises(FraudspecError) as raised:
        run_scheduled(spec, Window(HOUR, HOUR + H), variant="nope")
    assert "no variant 'nope'" in str(raised.value) and "AllTraffic, gbm" in raised.value.hint


def test_a_challenger_without_a_baseline_says_how_to_write_it(tmp_path: Path) -> None:
    spec = load_challenger_spec(tmp_path)
    spec.for_variant(CHALLENGER).workspace.statistics.unlink()
    capture(spec, CHAMPION, HOUR, [request_line(i, 0.1) for i in range(10)])
    with pytest.raises(FraudspecError) as raised:
        run_scheduled(spec, Window(HOUR, HOUR + H))
    assert "variants/gbm" in str(raised.value.location)


def test_the_runtimes_schedulers_monitor_every_variant_at_each_fire(tmp_path: Path, manual_clock, caplog) -> None:
    """The runtime's own schedulers (daemon._schedulers) on a driven clock: one fire, every variant's run, logged."""
    spec = load_challenger_spec(tmp_path)
    spec.path.write_text(spec.path.read_text().replace("  schedule: hourly\n", "  schedule: rate(1 minute)\n"))
    spec = load_spec(spec.path, "local")
    capture(spec, CHAMPION, HOUR, [request_line(i, 0.1) for i in range(50)])
    capture(spec, CHALLENGER, HOUR, [request_line(i, 0.1) for i in range(50)])
    start = HOUR + timedelta(minutes=5)
    clock = manual_clock(start)
    schedulers = daemon._schedulers(spec, clock)
    caplog.set_level(logging.INFO, logger="fraudspec.runtime")
    for scheduler in schedulers:
        scheduler.start()
    try:
        clock.waiting(2)
        clock.advance(timedelta(minutes=1))
        clock.waiting(2)
    finally:
        for scheduler in schedulers:
            scheduler.stop()
    runs = sorted(r.getMessage() for r in caplog.records if r.getMessage().startswith("scheduled data quality"))
    window = f"[{start.isoformat()}, {(start + timedelta(minutes=1)).isoformat()})"
    assert runs == [f"scheduled data quality (gbm) run for {window}: CompletedWithViolations",
                    f"scheduled data quality run for {window}: Completed"]
    for view in spec.variant_specs:
        assert len(view.workspace.metrics_history("data").read_text().splitlines()) == 1
