"""`fraudspec drift` over an endpoint with a challenger: each variant's newest executions read from its own
reports (local files, or S3 on aws), compared side by side in the text, the JSON and the HTML page."""

from __future__ import annotations

import json
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from fraudspec.monitoring.jobs import lambda_entry
from fraudspec.monitoring.jobs.for_spec import model_quality
from fraudspec.monitoring.jobs.settings import Settings
from fraudspec.monitoring.quality.execution import QualityJob
from fraudspec.monitoring.records.groundtruth import ground_truth_line
from fraudspec.monitoring.records.hours import Window
from fraudspec.reports.drift import variant_drifts
from fraudspec.reports.html_variants import render_variants_html
from fraudspec.reports.text import drift_document
from fraudspec.reports.variants import drift_variants_document, render_drift_variants
from fraudspec.runtime.monitoring import run_quality_scheduled, run_scheduled
from fraudspec.spec.load import load_spec
from fraudspec.spec.model import Spec
from tests.monitoring.challengers import (
    CHALLENGER,
    CHALLENGER_SPEC,
    CHAMPION,
    baselines,
    capture,
    labels,
    load_challenger_spec,
    request_line,
)
from tests.monitoring.conftest import HOUR

H = timedelta(hours=1)


class _Page(HTMLParser):
    """Every tag's attributes and the table rows' cell text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.attributes: list[dict[str, str | None]] = []
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attributes.append(dict(attrs))
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _monitored(tmp_path: Path) -> Spec:
    """Both variants' data- and model-quality runs over the same hour: the challenger drifts (its baseline is
    elsewhere) and misses every fraud."""
    spec = load_challenger_spec(tmp_path)
    truth = [(i, i % 2) for i in range(40)]
    capture(spec, CHAMPION, HOUR, [request_line(i, 0.9 if y else 0.1) for i, y in truth])
    capture(spec, CHALLENGER, HOUR, [request_line(i, 0.1) for i, _ in truth])
    labels(spec, HOUR, truth)
    run_scheduled(spec, Window(HOUR, HOUR + H))
    run_quality_scheduled(spec, Window(HOUR, HOUR + H))
    return spec


def _document(spec: Spec, variant: str | None = None) -> dict:
    entries = [(d.variant, drift_document(d.report, d.quality)) for d in variant_drifts(spec, variant)]
    return {"environment": "local", "model_quality_configured": True, **drift_variants_document(entries)}


def test_the_json_compares_each_feature_and_metric_per_variant(tmp_path: Path) -> None:
    spec = _monitored(tmp_path)
    doc = _document(spec)
    assert [(v["variant"], v["role"], v["data_quality"]["status"]) for v in doc["variants"]] == [
        (CHAMPION, "champion", "Completed"), (CHALLENGER, "shadow", "CompletedWithViolations")]
    assert f"{spec.names.monitoring_schedule}-gbm" in doc["variants"][1]["data_quality"]["files"]
    amount = next(item for item in doc["comparison"]["drift"] if item["feature"] == "amount")
    assert list(amount["variants"]) == [CHAMPION, CHALLENGER], "champion first"
    assert not amount["variants"][CHAMPION]["violated"] and amount["variants"][CHALLENGER]["violated"]
    assert amount["variants"][CHALLENGER]["distance"] > 0.5 and amount["variants"][CHALLENGER]["threshold"] == 0.05
    recall = next(item for item in doc["comparison"]["model_quality"] if item["metric"] == "recall")
    assert {name: value["value"] for name, value in recall["variants"].items()} == {CHAMPION: 1.0, CHALLENGER: 0.0}
    assert recall["variants"][CHALLENGER]["violated"] and recall["variants"][CHALLENGER]["threshold"] == 0.6
    assert doc["alarms"]["states"], "the champion's alarms"
    json.dumps(doc, allow_nan=False)  # a NaN metric would have to be null

    only = _document(spec, CHALLENGER)
    assert [v["variant"] for v in only["variants"]] == [CHALLENGER]
    assert only["alarms"] == {"states": {}, "recent_changes": []}, "a challenger has no alarms of its own"


def test_the_text_shows_one_distance_column_per_variant(tmp_path: Path) -> None:
    text = render_drift_variants(_document(_monitored(tmp_path)))
    lines = text.splitlines()
    header = next(line for line in lines if line.startswith("feature"))
    assert header.split() == ["feature", "threshold", CHAMPION, CHALLENGER]
    amount = next(line for line in lines if line.startswith("amount"))
    cells = amount.split()
    assert cells[1] == "0.0500" and cells[3] != "DRIFT" and cells[-1] == "DRIFT"
    statuses = {line.split()[0]: line.split()[2] for line in lines if line.startswith((CHAMPION, CHALLENGER))}
    assert statuses == {CHAMPION: "Completed", CHALLENGER: "CompletedWithViolations"}
    recall = next(line for line in lines if line.startswith("recall"))
    assert recall.split()[1:] == ["<", "0.6", "1.0000", "0.0000", "VIOLATED"], "violated when below 0.6"
    assert "Alarms (the champion's):" in text and "Violations of gbm" in text


def test_the_html_page_puts_the_variants_side_by_side_then_each_in_its_own_part(tmp_path: Path) -> None:
    spec = _monitored(tmp_path)
    drifts = variant_drifts(spec)
    html = render_variants_html(drifts)
    assert html == render_variants_html(variant_drifts(spec)), "same files, same bytes"
    page = _Page(html)
    ids = [a["id"] for a in page.attributes if a.get("id")]
    assert len(ids) == len(set(ids)), "each variant's anchors are its own"
    links = {a["href"][1:] for a in page.attributes if (a.get("href") or "").startswith("#")}
    assert links <= set(ids) and {"variant-AllTraffic", "variant-gbm", "v-gbm-feature-1"} <= links
    head = next(row for row in page.rows if row and row[0] == "Feature" and len(row) == 9)
    assert head[1:5] == ["AllTraffic distance", "AllTraffic threshold", "AllTraffic vs threshold", "AllTraffic"]
    amount = next(row for row in page.rows if row and row[0] == "amount" and len(row) == len(head))
    assert amount[2] == amount[6] == "0.0500" and amount[4] == "ok" and amount[8] == "DRIFT"
    recall = next(row for row in page.rows if row and row[0] == "recall" and len(row) == 6)
    assert recall[1:] == ["< 0.6", "1.0000", "ok", "0.0000", "VIOLATED"]
    assert html.index("Drift side by side") < html.index('id="variant-AllTraffic"') < html.index('id="variant-gbm"')
    assert html.count("the alarms watch the champion") == 1, "only the challenger's part says it has none"


AWS_SPEC = CHALLENGER_SPEC + """\
  dev:
    target: aws
    region: ap-southeast-1
    account: "123456789012"
    bucket: acme-sm-rc-project-a
"""


@pytest.mark.slow  # the AWS emulator
def test_the_lambda_files_a_challengers_reports_under_its_schedule_and_drift_reads_them_from_s3(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "specs" / "spec.yaml"
    path.parent.mkdir()
    path.write_text(AWS_SPEC)
    spec = load_spec(path, "dev")
    baselines(spec)
    bucket, names = str(spec.environment.bucket), spec.names
    view = spec.for_variant(CHALLENGER)
    settings = Settings(
        statistics_uri=f"s3://{bucket}/baseline/statistics.json",
        constraints_uri=f"s3://{bucket}/baseline/constraints.json",
        capture_uri=f"s3://{bucket}/{names.capture_prefix}", reports_uri=f"s3://{bucket}/{names.reports_prefix}",
        endpoint_name=names.endpoint, variant_name=CHAMPION, schedule_name=names.monitoring_schedule,
        metric_namespace=names.metric_namespace, emit_metrics=True, window_seconds=3600,
        features=spec.model.feature_names, ground_truth_uri=f"s3://{bucket}/{names.ground_truth_prefix}",
        quality_job=json.dumps(QualityJob.from_spec(model_quality(spec)).to_json()),
        quality_schedule_name=names.model_quality_schedule, model_metric_namespace=names.model_metric_namespace,
        quality_window_seconds=3600)
    challenger_input = {**settings.variant_fields(), "variant_name": CHALLENGER,
                        "quality_schedule_name": view.names.model_quality_schedule,
                        "statistics_uri": f"s3://{bucket}/baseline-gbm/statistics.json",
                        "constraints_uri": f"s3://{bucket}/baseline-gbm/constraints.json",
                        "schedule_name": view.names.monitoring_schedule}
    for name, value in {**settings.to_environment(), "AWS_ACCESS_KEY_ID": "testing",
                        "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "ap-southeast-1"}.items():
        monkeypatch.setenv(name, value)
    lines = {CHAMPION: [request_line(i, 0.9 if i % 2 else 0.1) for i in range(60)],  # right every time
             CHALLENGER: [request_line(i, 0.1) for i in range(20)]}  # never flags fraud
    with mock_aws():
        s3 = boto3.client("s3", region_name="ap-southeast-1")
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "ap-southeast-1"})
        for each, folder in ((spec, "baseline"), (view, "baseline-gbm")):
            s3.upload_file(str(each.workspace.statistics), bucket, f"{folder}/statistics.json")
            s3.upload_file(str(each.workspace.constraints), bucket, f"{folder}/constraints.json")
        for variant, captured in lines.items():
            s3.put_object(Bucket=bucket, Key=f"{names.capture_prefix}/{names.endpoint}/{variant}/2024/05/01/10/a.jsonl",
                          Body="".join(line + "\n" for line in captured).encode())
        s3.put_object(Bucket=bucket, Key=f"{names.ground_truth_prefix}/2024/05/01/10/labels.jsonl",
                      Body="".join(ground_truth_line(f"id-{i}", [i % 2]) + "\n" for i in range(60)).encode())

        outcome = lambda_entry.handler({"scheduled_time": "2024-05-01T11:00:00Z", "variant": challenger_input}, None)
        assert outcome["status"] == "CompletedWithViolations", "its own baseline: amount far from it"
        assert all(f"/{view.names.monitoring_schedule}/2024/05/01/11/" in uri for uri in outcome["reports"])
        champion = lambda_entry.handler({"scheduled_time": "2024-05-01T11:00:00Z"}, None)
        assert champion["status"] == "Completed"
        for variant in ({}, challenger_input):
            quality = lambda_entry.handler({"scheduled_time": "2024-05-01T11:00:00Z", "job": "model_quality",
                                            "variant": variant}, None)
        assert quality["status"] == "CompletedWithViolations", "the challenger's predictions, the shared labels"
        assert all(f"/{view.names.model_quality_schedule}/2024/05/01/11/" in uri for uri in quality["reports"])

        drifts = variant_drifts(spec)
    assert [(d.variant.name, d.report.summary.counts.rows) for d in drifts] == [(CHAMPION, 60), (CHALLENGER, 20)]
    assert drifts[1].report.source.startswith(str(view.workspace.reports)), "copied into the challenger's workspace"
    assert {d.feature for d in drifts[1].report.summary.drifts if d.violated} == {"amount"}
    assert drifts[1].report.alarm_states == {}
    assert [(d.quality or {}).get("status") for d in drifts] == ["Completed", "CompletedWithViolations"]
    assert [d.quality["records"]["labelled"] for d in drifts if d.quality] == [60, 20]
