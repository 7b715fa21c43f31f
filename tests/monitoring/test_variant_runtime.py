"""Per-variant monitoring of traffic the real local runtime served: a shadow challenger's copies, captured
under its own variant folder with the champion's inference ids, checked against its own baseline and
joined to the same labels; then `fraudspec drift` shows both variants side by side."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fraudspec.cli.main import main
from fraudspec.client.http import http_caller, send_all
from fraudspec.client.traffic import make_traffic, write_labels
from fraudspec.runtime import local
from fraudspec.runtime import process as runtime
from fraudspec.runtime.monitoring import run_quality_since_last, run_since_last
from fraudspec.spec.load import load_spec
from tests.small_model import SMALL_MODEL, free_port

pytestmark = pytest.mark.slow  # trains two models and starts the runtime

SPEC = """\
name: fraud-detection
team: rc
project: shadow
{model}
endpoint:
  realtime: {{instance_type: ml.m5.large, instance_count: 1}}
  challengers:
    - variant: gbm
      mode: shadow
      percent: 50
      model: {{algorithm: gradient_boosting, hyperparameters: {{max_iter: 20}}}}
monitoring:
  schedule: hourly
  drift: {{threshold: 0.1, features: {{amount: 0.05}}}}
  model_quality:
    metrics: {{auc: {{min: 0.8}}}}
    min_labels: 50
environments:
  local: {{target: local, port: {port}}}
"""


def test_served_traffic_is_monitored_per_variant(tmp_path: Path, capsys) -> None:
    path = tmp_path / "specs" / "fraud.yaml"
    path.parent.mkdir()
    path.write_text(SPEC.format(model=SMALL_MODEL, port=free_port()))
    spec = load_spec(path, "local")
    try:
        url = local.apply(spec, progress=False).info.url
        traffic = make_traffic(spec, 400, seed=11)
        sent = send_all(lambda: http_caller(url), traffic.requests)
        assert sent.acknowledged == 400
        write_labels(spec, traffic, seed=11, noise=0.0, delay_hours=0, captured=sent.inference_ids)

        data = run_since_last(spec)
        quality = run_quality_since_last(spec)
    finally:
        runtime.stop(spec)

    champion, shadow = data.runs
    assert champion.result.counts.records == 400
    assert 120 <= shadow.result.counts.records <= 280, "a shadow gets about `percent` % copies"
    assert shadow.result.status == "Completed" and shadow.transitions == ()
    assert all("-data-quality-gbm/" in report for report in shadow.written)
    champion_quality, shadow_quality = quality.runs
    assert champion_quality.result.counts.labelled == 400
    assert shadow_quality.result.counts.labelled == shadow.result.counts.records, "the champion's ids label it"
    assert shadow_quality.result.metrics.values["auc"] > 0.8

    assert main(["drift", "--spec", str(path), "--env", "local", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [(v["variant"], v["role"]) for v in doc["variants"]] == [("AllTraffic", "champion"), ("gbm", "shadow")]
    assert [v["model_quality"]["records"]["labelled"] for v in doc["variants"]] == [
        400, shadow.result.counts.records]
