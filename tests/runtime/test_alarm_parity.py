"""One alarm list: the local runtime evaluates exactly the drift and model-quality alarms that are
rendered for CloudWatch, with the same names, metrics, thresholds and semantics."""

from __future__ import annotations

import json
from pathlib import Path

from fraudspec.client.http import http_caller, send_all
from fraudspec.client.traffic import make_traffic, write_labels
from fraudspec.monitoring.alarms.definitions import alarms
from fraudspec.monitoring.alarms.files import read_alarm_states
from fraudspec.runtime import local
from fraudspec.runtime.monitoring import EVALUATED, run_quality_since_last, run_since_last
from fraudspec.spec.load import load_spec

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "specs" / "fraud-detection.yaml"
LOCAL_NAMESPACES = ("aws/sagemaker/Endpoints/data-metrics", "aws/sagemaker/Endpoints/model-metrics")


def _rendered_alarms(env: str) -> dict[str, tuple]:
    """The committed Terraform's drift and model-quality alarms: name -> what decides their state."""
    document = json.loads((REPO / "terraform" / env / "fraudspec.tf.json").read_text())
    found = {}
    for body in document["resource"]["aws_cloudwatch_metric_alarm"].values():
        if body.get("namespace") in LOCAL_NAMESPACES:
            found[body["alarm_name"]] = (body["metric_name"], body["threshold"], body["comparison_operator"],
                                         body["evaluation_periods"], body.get("datapoints_to_alarm"),
                                         body["treat_missing_data"])
    return found


def _local_alarms(spec) -> dict[str, tuple]:
    return {a.name: (a.metric_name, a.threshold, a.comparison, a.evaluation_periods, a.datapoints_to_alarm,
                     a.treat_missing_data) for a in alarms(spec) if a.source in ("drift", "model_quality")}


def test_the_runtime_evaluates_the_rendered_alarms_name_for_name() -> None:
    for env in ("dev", "staging"):
        rendered = _rendered_alarms(env)
        assert any("-drift-" in name for name in rendered) and any("-model-quality-" in name for name in rendered)
        assert _local_alarms(load_spec(EXAMPLE, env)) == rendered


def test_a_local_run_holds_a_state_for_exactly_those_alarms(local_project, stop_runtimes) -> None:
    spec = load_spec(local_project(), "local")
    stop_runtimes(spec)
    url = local.apply(spec, progress=False).info.url
    traffic = make_traffic(spec, 300, seed=5)
    send_all(lambda: http_caller(url), traffic.requests)
    write_labels(spec, traffic, seed=5, noise=0.0, delay_hours=0)
    run_since_last(spec)
    run_quality_since_last(spec)
    states = read_alarm_states(spec.workspace.alarm_states)
    # The endpoint's alarms join once an alarm period ends (tests/runtime/test_endpoint_alarms.py).
    endpoint = {a.name for a in alarms(spec) if a.source == EVALUATED["endpoint"]}
    assert set(_local_alarms(spec)) <= set(states) <= set(_local_alarms(spec)) | endpoint
    assert len(states) > len(spec.model.features)
