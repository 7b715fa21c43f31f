"""Monitoring on the local target: on-demand runs since the last one, scheduled windows, alarms, webhooks."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from fraudspec.client.http import http_caller, send_all
from fraudspec.client.traffic import make_traffic, write_labels
from fraudspec.monitoring.alarms.files import read_alarm_states
from fraudspec.monitoring.records.hours import Window
from fraudspec.runtime import local
from fraudspec.runtime.monitoring import run_quality_scheduled, run_quality_since_last, run_scheduled, run_since_last
from fraudspec.spec.load import load_spec


def _violations(run) -> set[tuple[str, str]]:
    return {(v.feature_name, v.constraint_check_type) for v in run.result.violations}


def test_drift_is_flagged_on_the_drifted_feature_only_and_alarms_fire(local_project, stop_runtimes, receiver,
                                                                        monkeypatch) -> None:
    hook_url, received = receiver
    monkeypatch.setenv("FRAUDSPEC_TEST_WEBHOOK", hook_url)
    spec = load_spec(local_project(), "local")
    stop_runtimes(spec)
    url = local.apply(spec, progress=False).info.url

    send_all(lambda: http_caller(url), make_traffic(spec, 500, seed=11).requests)
    normal = run_since_last(spec)
    assert normal.result.counts.records == 500 and _violations(normal) == set()
    assert set(read_alarm_states(spec.workspace.alarm_states).values()) == {"OK"}

    send_all(lambda: http_caller(url), make_traffic(spec, 500, seed=12, drift="amount=x5").requests)
    drifted = run_since_last(spec)
    assert drifted.result.counts.records == 500, "the second run reads only what arrived since the first"
    assert _violations(drifted) == {("amount", "baseline_drift_check")}
    amount = next(d for d in drifted.result.drifts if d.feature == "amount")
    assert amount.distance > 0.3 and amount.threshold == 0.05
    assert [(t.alarm.rsplit("-", 1)[-1], t.old, t.new) for t in drifted.transitions] == [("amount", "OK", "ALARM")]

    logged = [json.loads(line) for line in spec.workspace.alarm_log.read_text().splitlines()]
    assert logged[-1]["new"] == "ALARM" and logged[-1]["metric"] == "feature_baseline_drift_amount"
    assert received[-1] == logged[-1], "the webhook received the same event the alarm log holds"


def test_empty_run_is_no_data_and_keeps_alarm_state(local_project) -> None:
    spec = load_spec(local_project(), "local")
    local.prepare(spec, progress=False)
    run = run_since_last(spec)
    assert run.result.status == "Failed" and "no data" in run.result.failure_reason
    assert run.result.violations == () and run.transitions == ()


def test_scheduled_run_reads_the_window_hours(local_project, stop_runtimes) -> None:
    spec = load_spec(local_project(), "local")
    stop_runtimes(spec)
    url = local.apply(spec, progress=False).info.url
    hour = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0)
    send_all(lambda: http_caller(url), make_traffic(spec, 50, seed=13).requests)
    current = run_scheduled(spec, Window(hour, hour + timedelta(hours=2)))  # 2 h: sending may cross the hour
    earlier = run_scheduled(spec, Window(hour - timedelta(hours=2), hour - timedelta(hours=1)))
    assert current.result.counts.records == 50 and earlier.result.counts.records == 0
    assert any(path.endswith("statistics.json") for path in current.written)


def test_degraded_labels_fire_the_model_quality_alarm(local_project, stop_runtimes, receiver, monkeypatch) -> None:
    hook_url, received = receiver
    monkeypatch.setenv("FRAUDSPEC_TEST_WEBHOOK", hook_url)
    spec = load_spec(local_project(), "local")
    stop_runtimes(spec)
    url = local.apply(spec, progress=False).info.url

    clean = make_traffic(spec, 1500, seed=21)
    send_all(lambda: http_caller(url), clean.requests)
    write_labels(spec, clean, seed=21, noise=0.0, delay_hours=0)
    good = run_quality_since_last(spec)
    assert good.result.status == "Completed" and good.result.counts.labelled == 1500
    assert good.result.metrics.values["auc"] > 0.8

    degraded = make_traffic(spec, 1500, seed=22, drift="amount=x3")
    send_all(lambda: http_caller(url), degraded.requests)
    write_labels(spec, degraded, seed=22, noise=0.3, delay_hours=0)
    bad = run_quality_since_last(spec)
    assert bad.result.counts.labelled == 1500, "only the predictions since the previous run are evaluated"
    assert bad.result.status == "CompletedWithViolations" and bad.result.metrics.values["auc"] < 0.8
    assert [(t.metric, t.old, t.new) for t in bad.transitions] == [("auc", "OK", "ALARM")]
    assert received[-1]["alarm"].endswith("model-quality-auc") and received[-1]["new"] == "ALARM"


def test_late_labels_wait_for_their_hour(local_project, stop_runtimes) -> None:
    spec = load_spec(local_project(), "local")
    stop_runtimes(spec)
    url = local.apply(spec, progress=False).info.url
    traffic = make_traffic(spec, 300, seed=23)
    send_all(lambda: http_caller(url), traffic.requests)
    write_labels(spec, traffic, seed=23, noise=0.0, delay_hours=3)
    run = run_quality_since_last(spec)
    assert run.result.counts.labelled == 0 and run.result.status == "InsufficientData"
    assert run.transitions == (), "too few labels is missing data, never an alarm"


def test_scheduled_quality_run_uses_the_window(local_project, stop_runtimes) -> None:
    spec = load_spec(local_project(), "local")
    stop_runtimes(spec)
    url = local.apply(spec, progress=False).info.url
    hour = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0)
    traffic = make_traffic(spec, 300, seed=24)
    send_all(lambda: http_caller(url), traffic.requests)
    write_labels(spec, traffic, seed=24, noise=0.0, delay_hours=0)
    run = run_quality_scheduled(spec, Window(hour, hour + timedelta(hours=2)))
    assert run.result.counts.labelled == 300 and any(p.endswith("statistics.json") for p in run.written)


def test_on_demand_runs_count_every_line_of_large_files_once(local_project) -> None:
    """Files of several MB are read whole lines at a time: no line counted twice, none lost, a line
    still being written waits for the next run."""
    from fraudspec.monitoring.records.hours import floor_hour, hour_path
    from tests.monitoring.conftest import capture_line

    spec = load_spec(local_project(), "local")
    local.prepare(spec, progress=False)
    folder = spec.workspace.capture / spec.names.endpoint / spec.endpoint.variant / hour_path(
        floor_hour(datetime.now(timezone.utc)))
    folder.mkdir(parents=True)
    line = capture_line("3,420.5,7,88.25,120.75") + "\n"
    path = folder / "00-00-000-big.jsonl"
    first = 30_000  # ~ 9 MB: several of the reader's blocks
    partial = line[:40]
    path.write_text(line * first + partial)
    run = run_since_last(spec)
    assert (run.result.counts.lines, run.result.counts.rows, run.result.counts.malformed) == (first, first, 0)

    with open(path, "a") as handle:  # the writer finishes its line, then appends more
        handle.write(line[40:] + line * 9)
    run = run_since_last(spec)
    assert (run.result.counts.lines, run.result.counts.rows, run.result.counts.malformed) == (10, 10, 0)
