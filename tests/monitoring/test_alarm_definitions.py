"""The spec's alarm list: which alarms exist, and where the render and local copies used to disagree."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from fraudspec.monitoring.alarms.definitions import ErrorRate, alarms, vcpus
from fraudspec.spec.load import load_spec

EXAMPLE = Path(__file__).resolve().parents[2] / "specs" / "fraud-detection.yaml"


def test_every_declared_alarm_is_listed_once() -> None:
    spec = load_spec(EXAMPLE, "dev")
    listed = alarms(spec)
    sources = [a.source for a in listed]
    assert sources.count("drift") == len(spec.model.features)
    assert sources.count("model_quality") == len(spec.monitoring.model_quality.metrics)
    assert len({a.name for a in listed}) == len({a.key for a in listed}) == len(listed)
    rates = [a for a in listed if isinstance(a.metric, ErrorRate)]
    assert {a.metric_name for a in rates} <= {"Invocation4XXErrors", "Invocation5XXErrors"}


def test_monitoring_off_means_no_drift_or_quality_alarms_anywhere() -> None:
    """Render used to drop them and the local runtime to keep them; now neither has them."""
    spec = load_spec(EXAMPLE, "dev")
    off = dataclasses.replace(spec, monitoring=dataclasses.replace(spec.monitoring, enabled=False))
    assert {a.source for a in alarms(off)} == {"endpoint"}


def test_latencies_are_alarmed_in_microseconds() -> None:
    spec = load_spec(EXAMPLE, "dev")
    (latency,) = [a for a in alarms(spec) if a.key == "model_latency"]
    assert latency.threshold == spec.alarms.model_latency_ms * 1000 and latency.metric_name == "ModelLatency"
    assert vcpus("ml.m5.2xlarge") == 8 and vcpus("ml.t2.medium") == 2
