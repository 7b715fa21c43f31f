"""Each execution writes its own report folder inside Model Monitor's hour folder; the hour folder holds
the newest report with data, which a run without data never replaces; `drift` and the HTML report read
that one (or, when no run had data, the newest run's own folder)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from fraudspec.core import jsonfile
from fraudspec.monitoring.engine.execution import run_execution, write_reports
from fraudspec.monitoring.records.hours import report_folder
from fraudspec.monitoring.records.sinks import LocalSink, execution_name, write_execution
from fraudspec.reports.html_input import newest_execution
from tests.monitoring.conftest import ENDPOINT, WINDOW, baseline_of, blocks, capture_line

FEATURES = ("txn_count_1h", "amount")


@pytest.fixture
def baseline():
    return baseline_of(FEATURES, [[i % 5, 10.0 + i] for i in range(200)])


def _run(baseline, rows: int):
    statistics, constraints = baseline
    lines = [capture_line(f"{i % 5},{20.0 + i}") for i in range(rows)]
    return run_execution(blocks(*lines) if lines else [], statistics, constraints, WINDOW, FEATURES)


def _summaries(hour: Path) -> list[dict]:
    return [jsonfile.load(path, "summary", "") for path in sorted(hour.glob("*/execution_summary.json"))]


def test_two_runs_in_one_hour_keep_their_own_reports(tmp_path: Path, baseline) -> None:
    sink = LocalSink(tmp_path)
    first = write_reports(_run(baseline, 50), sink, ENDPOINT, "sched")
    second = write_reports(_run(baseline, 80), sink, ENDPOINT, "sched")
    hour = tmp_path / report_folder(ENDPOINT, "sched", WINDOW)
    assert [s["records"]["rows"] for s in _summaries(hour)] == [50, 80], "both runs' folders are intact"
    assert jsonfile.load(hour / "execution_summary.json", "s", "")["records"]["rows"] == 80
    assert first == second, "a run with data is read at the hour folder, Model Monitor's layout"
    assert newest_execution(tmp_path / ENDPOINT / "sched") == hour


def test_a_run_without_data_never_replaces_a_report_with_data(tmp_path: Path, baseline) -> None:
    sink = LocalSink(tmp_path)
    write_reports(_run(baseline, 50), sink, ENDPOINT, "sched")
    empty = write_reports(_run(baseline, 0), sink, ENDPOINT, "sched")
    hour = tmp_path / report_folder(ENDPOINT, "sched", WINDOW)
    assert jsonfile.load(hour / "execution_summary.json", "s", "")["status"] != "Failed"
    assert (hour / "statistics.json").is_file()
    assert [Path(p).parent.parent for p in empty] == [hour] and "Failed" in Path(empty[0]).read_text()
    assert newest_execution(tmp_path / ENDPOINT / "sched") == hour


def test_without_any_data_the_newest_run_is_read(tmp_path: Path, baseline) -> None:
    sink = LocalSink(tmp_path)
    early = datetime(2026, 1, 1, 10, 5, tzinfo=timezone.utc)
    late = datetime(2026, 1, 1, 10, 40, tzinfo=timezone.utc)
    folder = report_folder(ENDPOINT, "sched", WINDOW)
    write_execution(sink, folder, [("execution_summary.json", b'{"run": "late"}')], has_data=False, at=late)
    write_execution(sink, folder, [("execution_summary.json", b'{"run": "early"}')], has_data=False, at=early)
    newest = newest_execution(tmp_path / ENDPOINT / "sched")
    assert newest is not None and newest.name.startswith(execution_name(late)[:22])
    assert newest_execution(tmp_path / "nothing") is None
