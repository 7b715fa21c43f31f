"""capture.firehose: parsed with its schema defaults, and refused (FS251) on a realtime endpoint."""

from __future__ import annotations

from fraudspec.spec.load import load_spec, validate_spec
from fraudspec.spec.model import FirehoseCapture
from tests.spec.conftest import BASE

REALTIME = "endpoint:\n  realtime:\n    instance_type: ml.m5.large\n    instance_count: 1\n"
SERVERLESS = "endpoint:\n  serverless:\n    memory_mb: 2048\n    max_concurrency: 5\n"


def test_firehose_capture_takes_the_schemas_buffering_defaults(write_spec) -> None:
    path = write_spec(BASE.replace("  sampling_percent: 100\n", "  sampling_percent: 100\n  firehose: {}\n"))
    assert validate_spec(path) == []
    assert load_spec(path, "dev").capture.firehose == FirehoseCapture(buffer_mb=64, buffer_seconds=300)
    assert load_spec(write_spec(BASE), "dev").capture.firehose is None


def test_firehose_capture_on_a_realtime_endpoint_is_refused_at_its_line(write_spec) -> None:
    text = BASE.replace(SERVERLESS, REALTIME).replace(
        "  sampling_percent: 100\n", "  sampling_percent: 100\n  firehose: {buffer_mb: 8}\n")
    findings = validate_spec(write_spec(text))
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "firehose:" in row)
    assert [(f.rule, f.location.line) for f in findings] == [("FS251", line)]


def test_buffering_hints_are_held_to_firehoses_ranges(write_spec) -> None:
    text = BASE.replace("  sampling_percent: 100\n", "  sampling_percent: 100\n  firehose: {buffer_mb: 129}\n")
    assert [(f.rule, f.message) for f in validate_spec(write_spec(text))] == [
        ("FS006", "capture.firehose.buffer_mb is 129; it must be at most 128")]
