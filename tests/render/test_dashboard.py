"""The dashboard's monitoring-job widget follows the runner: a Glue run's failures are events, not a
Lambda's Errors metric (the goldens show the Lambda runner's widget)."""

from __future__ import annotations

import json
from pathlib import Path

from render_variants import make_project, render_spec

EXAMPLE = Path(__file__).resolve().parents[2] / "specs" / "high-volume.yaml"


def test_the_glue_runner_graphs_its_failed_runs(tmp_path: Path) -> None:
    spec = make_project(tmp_path, EXAMPLE, "rt")
    assert spec.monitoring.runner == "glue"
    document = json.loads(render_spec(spec)["fraudspec.tf.json"])
    titles = {w["properties"]["title"]: w for w in document["locals"]["dashboard"]["widgets"]}
    assert "Monitoring job" not in titles, "no Lambda runs on the glue runner"
    [metric] = titles["Monitoring job: failed Glue runs"]["properties"]["metrics"]
    rule = document["resource"]["aws_cloudwatch_event_rule"]
    [failure_rule] = [body["name"] for body in rule.values()]
    assert metric == ["AWS/Events", "TriggeredRules", "RuleName", failure_rule]
