"""The HTML drift report: built from a real baseline and a drifted execution, checked as text and in Chromium."""

from __future__ import annotations

import dataclasses
import json
import shutil
import struct
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

from fraudspec.core import jsonfile
from fraudspec.core.errors import FraudspecError
from fraudspec.monitoring.alarms import notify
from fraudspec.monitoring.alarms.evaluate import Transition
from fraudspec.monitoring.engine import statistics as statistics_file
from fraudspec.monitoring.engine.baseline import compute_baseline
from fraudspec.monitoring.engine.execution import ExecutionResult, run_execution, write_reports
from fraudspec.monitoring.engine.kll import build_sketch
from fraudspec.monitoring.engine.statistics import StringStatistics, numeric_statistics
from fraudspec.monitoring.engine.table import TableBuilder
from fraudspec.monitoring.records.hours import Window
from fraudspec.monitoring.records.sinks import LocalSink
from fraudspec.reports.html_input import AlarmEvent, read_alarm_log
from fraudspec.reports.html_plots import (
    bin_edges,
    bin_shares,
    category_rows,
    largest_gap,
    numeric_range,
    numeric_svgs,
)
from fraudspec.reports.html_report import DriftReportInput, load_report_input, render_html
from fraudspec.spec.model import DriftSpec, Feature, MonitoringSpec, Schedule, frozen_map
from fraudspec.training.synthetic import generate, generate_drifted
from tests.monitoring.conftest import ENDPOINT, WINDOW, blocks, capture_line

FEATURES = (Feature("txn_count_1h"), Feature("amount"), Feature("avg_amount_7d"), Feature("channel", "categorical"))
NAMES = tuple(f.name for f in FEATURES)
SCHEDULE = "ep-schedule"
MONITORING = MonitoringSpec(Schedule("hourly", "cron(0 * ? * * *)", "cron(0 * ? * * *)"),
                            drift=DriftSpec(features=frozen_map({"amount": 0.05})))
ALARM = "fraud-detection-local-drift-amount"


def csv_lines(dataset) -> list[str]:
    """Rows as the endpoint receives them: numbers as the build prints them, categories as text."""
    columns = [dataset.column(name) for name in NAMES]

    def text(value: object) -> str:
        if isinstance(value, str):
            return value
        return str(int(value)) if float(value).is_integer() else repr(float(value))

    return [",".join(text(column[i]) for column in columns) for i in range(len(dataset))]


@dataclasses.dataclass(frozen=True)
class Files:
    root: Path

    @property
    def reports(self) -> Path:
        return self.root / "monitoring" / "reports"

    @property
    def baseline(self) -> Path:
        return self.root / "monitoring" / "statistics.json"

    @property
    def alarm_log(self) -> Path:
        return self.root / "alarms.jsonl"

    @property
    def alarm_state(self) -> Path:
        return self.root / "monitoring" / "alarm-state.json"

    def load(self) -> DriftReportInput:
        return load_report_input(self.reports, ENDPOINT, SCHEDULE, self.baseline, self.alarm_log, self.alarm_state,
                                 environment="local")


@pytest.fixture(scope="module")
def baseline():
    builder = TableBuilder(NAMES, ["channel"])
    for line in csv_lines(generate(FEATURES, 4_000, seed=7)):
        builder.add_positional(line.split(","))
    return compute_baseline(builder.build(), ["channel"], MONITORING)


@pytest.fixture(scope="module")
def drifted(baseline) -> ExecutionResult:
    statistics, constraints = baseline
    data = generate_drifted(FEATURES, 3_000, seed=8, drift="amount=x3,channel=unseen:30%")
    return run_execution(blocks(*(capture_line(line) for line in csv_lines(data))), statistics, constraints,
                         WINDOW, NAMES)


@pytest.fixture
def files(tmp_path: Path, baseline, drifted: ExecutionResult) -> Files:
    """An environment after a drifted run: baseline, reports, two alarm transitions, alarm states."""
    found = Files(tmp_path)
    found.baseline.parent.mkdir(parents=True)
    found.baseline.write_bytes(jsonfile.dumps(statistics_file.to_json(baseline[0])))
    write_reports(drifted, LocalSink(found.reports), ENDPOINT, SCHEDULE)
    notify.record([Transition(ALARM, "feature_baseline_drift_amount", "INSUFFICIENT_DATA", "OK", "first run")],
                  found.alarm_log, "2024-05-01T10:00:03Z", ENDPOINT)
    notify.record([Transition(ALARM, "feature_baseline_drift_amount", "OK", "ALARM", "amount [0.41] > 0.05")],
                  found.alarm_log, "2024-05-01T11:00:03Z", ENDPOINT)
    found.alarm_state.write_text(json.dumps({ALARM: "ALARM", "fraud-detection-local-drift-channel": "OK"}))
    return found


class _Page(HTMLParser):
    """Table rows as lists of cell text, every tag's attributes, and the visible text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.attributes: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._cell: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attributes.append((tag, dict(attrs)))
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)

    def row(self, first: str) -> list[str]:
        return next(row for row in self.rows if row and row[0] == first)


def test_the_page_shows_status_distances_violations_and_alarms(files: Files, drifted: ExecutionResult) -> None:
    page = _Page(render_html(files.load()))
    drifts = {d.feature: d for d in drifted.drifts}
    assert page.row("amount") == ["amount", "Fractional", "100.0%", "100.0%", f"{drifts['amount'].distance:.4f}",
                                  "0.0500", "robust KS: D minus sampling noise", "", "DRIFT"]
    assert page.row("channel")[4:] == [f"{drifts['channel'].distance:.4f}", "0.1000",
                                     "robust L∞ minus sampling noise", "", "DRIFT"]
    assert page.row("txn_count_1h")[4:] == [f"{drifts['txn_count_1h'].distance:.4f}", "0.1000",
                                          "robust KS: D minus sampling noise", "", "ok"]
    violations = {(v.feature_name, v.constraint_check_type, v.description.rstrip()) for v in drifted.violations}
    assert violations >= {("amount", "baseline_drift_check", f"Numerical distance: {drifts['amount'].distance} "
                                                              "exceeds numerical threshold: 0.05")}
    assert {tuple(row) for row in page.rows if len(row) == 3 and row[1].endswith("_check")} == violations
    text = " ".join(" ".join(page.text).split())
    assert "⚠ Completed with violations" in text and "2024-05-01T10:00:00Z → 2024-05-01T11:00:00Z" in text
    assert "Rows analysed 3,000 3,000 lines · 0 malformed" in text and "Baseline rows 4,000" in text
    assert "Drifted features 2 / 4" in text and "Alarms in ALARM 1 / 2" in text
    history = [row for row in page.rows if row and row[0].startswith("2024-05-01T")]
    assert history == [["2024-05-01T11:00:03Z", ALARM, "OK → ALARM", "amount [0.41] > 0.05"],
                       ["2024-05-01T10:00:03Z", ALARM, "INSUFFICIENT_DATA → OK", "first run"]]


def test_every_feature_gets_its_plots(files: Files, drifted: ExecutionResult) -> None:
    html = render_html(files.load())
    charts = [a.get("aria-label") for tag, a in _Page(html).attributes
              if tag == "svg" and "chart" in (a.get("class") or "")]
    assert charts == [
        f"{name}: baseline and current {kind}"
        for name in NAMES[:3]
        for kind in ("histograms", "cumulative distributions")
    ] + ["channel: baseline and current category shares"]
    # The CDF marks the KS statistic D itself; the Robust distance is D less 1.8 * sqrt((n + m) / (n * m)).
    amount = next(d for d in drifted.drifts if d.feature == "amount")
    assert html.count('class="gap"') == 3
    simple = amount.distance + 1.8 * np.sqrt((4_000 + 3_000) / (4_000 * 3_000))  # the robust correction undone
    assert f"largest gap, simple KS D = {simple:.4f}" in html
    assert html.count('class="bar current"') == html.count('class="bar baseline"') >= 5


def test_the_page_fetches_nothing(files: Files) -> None:
    html = render_html(files.load())
    page = _Page(html)
    assert "<script" not in html.lower()
    assert (
        "meta",
        {
            "http-equiv": "Content-Security-Policy",
            "content": "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
        },
    ) in page.attributes
    links = [value for _, attrs in page.attributes for key, value in attrs.items() if key in ("src", "href")]
    assert links and all(value.startswith("#") for value in links)
    assert "://" not in html and "@import" not in html and "url(" not in html


def test_text_from_the_files_is_escaped(files: Files) -> None:
    evil = '<img src=x onerror="alert(1)">'
    report = files.load()
    feature = dataclasses.replace(report.baseline.features[0], name=evil)
    report = dataclasses.replace(
        report,
        baseline=dataclasses.replace(report.baseline, features=(feature, *report.baseline.features[1:])),
        violations=(*report.violations, dataclasses.replace(report.violations[0], description=evil)),
        alarm_history=(AlarmEvent("t", ENDPOINT, evil, "m", "OK", evil, evil),),
        alarm_states={evil: "ALARM"},
    )
    html = render_html(report)
    assert "<img" not in html and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    # Feature table, card heading, chart labels and captions, violation, alarm state, alarm event.
    assert html.count("&lt;img") >= 7


def test_the_same_files_render_the_same_bytes(files: Files) -> None:
    assert render_html(files.load()) == render_html(files.load())


def test_the_newest_execution_is_reported(files: Files, baseline) -> None:
    later = Window(WINDOW.end, WINDOW.end.replace(hour=12))
    statistics, constraints = baseline
    clean = run_execution(
        blocks(*(capture_line(line) for line in csv_lines(generate(FEATURES, 500, seed=9)))),
        statistics,
        constraints,
        later,
        NAMES,
    )
    write_reports(clean, LocalSink(files.reports), ENDPOINT, SCHEDULE)
    report = files.load()
    assert (report.summary.window_end, report.summary.status, report.violations) == (
        "2024-05-01T12:00:00Z",
        "Completed",
        (),
    )
    assert report.source.endswith("2024/05/01/12") and "✓ Completed" in render_html(report)


def test_a_failed_execution_shows_its_reason_not_an_earlier_runs_files(tmp_path: Path, baseline) -> None:
    statistics, constraints = baseline
    files = Files(tmp_path)
    files.baseline.parent.mkdir(parents=True)
    files.baseline.write_bytes(jsonfile.dumps(statistics_file.to_json(statistics)))
    write_reports(
        run_execution([], statistics, constraints, WINDOW, NAMES), LocalSink(files.reports), ENDPOINT, SCHEDULE
    )
    report = files.load()
    assert (report.current, report.violations, report.summary.drifts) == (None, (), ())
    text = " ".join(" ".join(_Page(render_html(report)).text).split())
    assert "✕ Failed" in text and "Reason: Job inputs had no data: no capture records in" in text
    assert "No checks ran" in text and "current (no data)" in text and "Drifted features 0 / 0" in text


def test_missing_files_name_the_command_that_writes_them(files: Files) -> None:
    with pytest.raises(FraudspecError) as no_runs:
        load_report_input(
            files.root / "elsewhere",
            ENDPOINT,
            SCHEDULE,
            files.baseline,
            files.alarm_log,
            files.alarm_state,
            environment="staging",
        )
    assert no_runs.value.hint == "run `fraudspec monitor run --env staging` first"
    files.baseline.unlink()
    with pytest.raises(FraudspecError, match="baseline statistics not found") as no_baseline:
        files.load()
    assert no_baseline.value.hint == "run `fraudspec baseline --env local` to write it"


def test_no_alarm_files_means_no_alarms_but_a_broken_log_line_is_an_error(files: Files) -> None:
    files.alarm_log.unlink()
    files.alarm_state.unlink()
    report = files.load()
    assert (report.alarm_history, report.alarm_states) == ((), {})
    assert "No alarm has changed state." in render_html(report)
    files.alarm_log.write_text('{"time": "t"}\n')
    with pytest.raises(FraudspecError, match=r"alarm event\.endpoint is missing") as broken:
        read_alarm_log(files.alarm_log)
    assert broken.value.location.line == 1


def test_categories_beyond_ten_fold_into_other_and_new_ones_follow_the_baseline() -> None:
    baseline = StringStatistics(12, tuple((f"c{i:02}", 12 - i) for i in range(12)))
    current = StringStatistics(3, (("new", 30), ("c00", 20), ("c11", 10)))
    rows = category_rows(baseline, current)
    assert [name for name, _, _ in rows] == [f"c{i:02}" for i in range(9)] + ["other (4)"]
    assert rows[0] == ("c00", 12 / 78, 20 / 60)
    assert rows[-1] == ("other (4)", pytest.approx((3 + 2 + 1) / 78), pytest.approx(40 / 60))  # c09-c11 and "new"


def test_an_integral_feature_gets_one_bin_per_whole_number() -> None:
    sketch = build_sketch(np.array([0, 1, 1, 2, 2, 2, 5], dtype=float))
    edges = bin_edges(0.0, 5.0, integral=True)
    assert edges.tolist() == [-0.5, 0.5, 1.5, 2.5, 3.5, 4.5, 5.5]
    assert (bin_shares(sketch, edges) * 7).tolist() == [1, 2, 3, 0, 0, 1]


def test_the_x_range_clips_far_outliers_but_keeps_the_largest_gap() -> None:
    bulk = np.linspace(0.0, 1.0, 1_001)  # steps of 0.001
    low, high, clipped = numeric_range(build_sketch(np.append(bulk, 1e6)), None)
    assert clipped and (low, high) == (0.005, 0.996)  # the 0.5th and 99.5th percentiles
    # Four far values in the current data: the CDFs part most at 1.0, past both 99.5th percentiles.
    with_tail = build_sketch(np.append(bulk, [50.0] * 4))
    assert largest_gap(build_sketch(bulk), with_tail)[0] == 1.0
    assert numeric_range(build_sketch(bulk), with_tail)[1] == 1.0
    assert numeric_range(build_sketch(np.full(50, 3.0)), None) == (2.5, 3.5, False)


def test_a_constant_feature_still_draws_its_histogram() -> None:
    constant = numeric_statistics(np.full(50, 3.0))
    svg = numeric_svgs("flat", constant, constant, integral=False)
    histogram = svg[: svg.index("</svg>")]
    assert 'class="area baseline"' in histogram and "nan" not in svg and "largest gap, simple KS D = 0.0000" in svg


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.mark.slow  # starts a headless browser where one is installed
def test_chromium_renders_the_page(files: Files, drifted: ExecutionResult, tmp_path: Path) -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip(
            "CHROMIUM NOT INSTALLED: the HTML report is not rendered in a browser (apt-get install -y chromium)"
        )
    page = tmp_path / "report.html"
    page.write_text(render_html(files.load()), encoding="utf-8")
    flags = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    shot = tmp_path / "shot.png"
    subprocess.run(
        [*flags, f"--screenshot={shot}", "--window-size=1280,2000", page.as_uri()],
        check=True,
        capture_output=True,
        timeout=120,
    )
    image = shot.read_bytes()
    assert _png_size(image) == (1280, 2000) and len(image) > 50_000
    dom = subprocess.run(
        [*flags, "--dump-dom", page.as_uri()], check=True, capture_output=True, text=True, timeout=120
    ).stdout
    rendered = _Page(dom)
    assert [rendered.row(d.feature)[4:6] for d in drifted.drifts] == [
        [f"{d.distance:.4f}", f"{d.threshold:.4f}"] for d in drifted.drifts
    ]
    assert rendered.row("2024-05-01T11:00:03Z")[2] == "OK → ALARM" and rendered.row("amount")[-1] == "DRIFT"


QUALITY_SUMMARY = {
    "status": "CompletedWithViolations", "reason": None,
    "capture_window": {"start": "2024-05-01T10:00:00Z", "end": "2024-05-01T11:00:00Z"},
    "records": {"labelled": 480, "predictions": 500, "unmatched_labels": 3},
    "metrics": [
        {"metric": "auc", "value": 0.71, "standard_deviation": 0.02, "threshold": 0.85,
         "comparison_operator": "LessThanThreshold", "violated": True},
        {"metric": "recall", "value": 0.5, "standard_deviation": None, "threshold": None,
         "comparison_operator": None, "violated": False},
    ],
}


def test_the_page_has_a_model_quality_section(files: Files) -> None:
    page = _Page(render_html(files.load(), QUALITY_SUMMARY))
    assert page.row("auc") == ["auc", "0.7100", "0.0200", "0.85", "LessThanThreshold", "VIOLATED"]
    assert page.row("recall") == ["recall", "0.5000", "–", "–", "–", "no threshold"]
    html = render_html(files.load(), QUALITY_SUMMARY)
    assert "480 labelled of 500" in html and "Completed with violations" in html


def test_without_a_model_quality_execution_the_section_says_how_to_run_one(files: Files) -> None:
    html = render_html(files.load())
    assert 'id="model-quality"' in html and "fraudspec monitor quality" in html
