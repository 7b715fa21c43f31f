"""Defaults are written once, in schema.json, and filled into the document the rules and the parser read."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fraudspec.cli import main as cli_main
from fraudspec.spec.defaults import with_defaults
from fraudspec.spec.load import load_spec, validate_spec
from fraudspec.spec.model import (
    AlarmsSpec,
    Autoscaling,
    CaptureSpec,
    CompletenessSpec,
    DriftSpec,
    Environment,
    ModelQualitySpec,
    ModelSpec,
    MonitoringSpec,
    RealtimeEndpoint,
    ServerlessEndpoint,
    StateBackend,
    SyntheticData,
)
from fraudspec.spec.schema import document_schema, resolve
from fraudspec.spec.yaml_source import Source

PACKAGE = Path(__file__).resolve().parents[2] / "fraudspec" / "spec"
# Only what the schema requires: every other field takes its default.
MINIMAL = """\
name: fraud-detection
team: rc
project: project-a
model:
  features: [{name: amount}]
  target: is_fraud
  data: {synthetic: {}}
endpoint:
  serverless: {}
environments:
  local: {}
"""


def _defaulted(node: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """(path, default) of every property with a default, through sections that default to {} themselves."""
    for key, child in resolve(node).get("properties", {}).items():
        child = resolve(child)
        if child.get("default") == {}:
            yield from _defaulted(child, path + (key,))
        elif "default" in child:
            yield path + (key,), child["default"]


def _at(document: Any, path: tuple) -> Any:
    for key in path:
        document = document[key]
    return document


def test_every_schema_default_is_filled_in() -> None:
    document = {"environments": {"local": {}}}
    filled = with_defaults(Source("spec.yaml", document, {})).data
    assert document == {"environments": {"local": {}}}, "filling never changes its input"
    expected = dict(_defaulted(document_schema()))
    environment = resolve(document_schema()["properties"]["environments"]["additionalProperties"])
    expected.update({("environments", "local") + path: default for path, default in _defaulted(environment)})
    assert len(expected) > 30
    for path, default in expected.items():
        assert _at(filled, path) == default, path


def test_null_and_written_values_are_kept() -> None:
    document = {"alarms": {"drift": None, "model_latency_ms": None, "evaluation_periods": 5}}
    alarms = with_defaults(Source("spec.yaml", document, {})).data["alarms"]
    assert alarms["drift"] is None and alarms["model_latency_ms"] is None
    assert alarms["evaluation_periods"] == 5 and alarms["period_seconds"] == 60


def test_the_model_classes_default_to_what_the_schema_says(write_spec) -> None:
    """Later stages build these classes by hand (tests, benchmarks): their defaults must be the schema's."""
    text = MINIMAL.replace("serverless: {}", "realtime: {autoscaling: {}}")
    realtime = load_spec(write_spec(text), "local")
    spec = load_spec(write_spec(MINIMAL.replace("environments:", "monitoring: {model_quality: {}}\nenvironments:")),
                     "local")
    quality = spec.monitoring.model_quality
    expected = {
        "data": (spec.model.data, SyntheticData()),
        "model": (spec.model, ModelSpec(spec.model.features, "is_fraud", SyntheticData())),
        "serverless": (spec.endpoint.serverless, ServerlessEndpoint()),
        "realtime": (realtime.endpoint.realtime, RealtimeEndpoint(autoscaling=Autoscaling())),
        "capture": (spec.capture, CaptureSpec()),
        "monitoring": (spec.monitoring, MonitoringSpec(spec.monitoring.schedule, model_quality=quality)),
        "drift": (spec.monitoring.drift, DriftSpec()),
        "completeness": (spec.monitoring.completeness, CompletenessSpec()),
        "model_quality": (quality, ModelQualitySpec(quality.schedule, spec.model.decision_threshold)),
        "alarms": (spec.alarms, AlarmsSpec()),
        "environment": (spec.environment, Environment("local")),
        "state": (spec.environment.state, StateBackend()),
    }
    for what, (parsed, constructed) in expected.items():
        assert repr(parsed) == repr(constructed), what  # repr: 1 and 1.0 differ in the rendered Terraform


def test_rules_see_the_defaults(write_spec) -> None:
    """An autoscaling section without max still has one (2): instance_count 3 is outside it, as deployed."""
    text = MINIMAL.replace("serverless: {}", "realtime:\n    instance_count: 3\n    autoscaling: {}")
    assert [f.rule for f in validate_spec(write_spec(text))] == ["FS108"]
    text = MINIMAL.replace("serverless: {}", "serverless: {provisioned_concurrency: 6}")
    assert [f.rule for f in validate_spec(write_spec(text))] == ["FS103"], "max_concurrency defaults to 5"


def test_a_finding_about_a_default_points_at_the_nearest_written_key(write_spec) -> None:
    text = MINIMAL.replace("serverless: {}", "realtime:\n    autoscaling: {min: 2, max: 4}")
    (finding,) = validate_spec(write_spec(text))
    assert finding.rule == "FS108" and "instance_count 1" in finding.message
    assert finding.location.line == text.splitlines().index("  realtime:") + 1


def test_rules_and_the_parser_carry_no_fallback_values() -> None:
    fallback = re.compile(r'\.get\("[a-z_]*", ')
    readers = [PACKAGE / "parse.py", *sorted((PACKAGE / "rules").glob("*.py"))]
    found = [f"{path.relative_to(PACKAGE)}:{number}" for path in readers
             for number, line in enumerate(path.read_text().splitlines(), start=1) if fallback.search(line)]
    assert found == [], "defaults belong in schema.json"


def test_show_prints_the_schema_defaults(write_spec, capsys) -> None:
    assert cli_main.main(["show", "--spec", str(write_spec(MINIMAL)), "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)["spec"]  # the shown spec; "provenance" beside it
    definitions = document_schema()["$defs"]
    for section in ("capture", "alarms"):
        for key, node in definitions[section]["properties"].items():
            if node.get("default", {}) not in ({}, []):
                assert repr(shown[section][key]) == repr(node["default"]), f"{section}.{key}"
