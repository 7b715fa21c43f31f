"""Environment overlays: what an environment gets, and where each value was written."""

from __future__ import annotations

from fraudspec.spec.load import load_spec, validate_spec
from fraudspec.spec.merge import deep_merge
from tests.spec.conftest import BASE

STAGING = """\
  staging:
    target: aws
    region: ap-southeast-1
    account: "210987654321"
    bucket: acme-sm-rc-staging
    overrides:
      endpoint: {serverless: {memory_mb: 4096}}
      monitoring: {drift: {features: {amount: 0.2}}}
      model: {features: [{name: amount}]}
      alarms: {model_latency_ms: null, drift: null}
"""


def test_mappings_merge_and_lists_replace() -> None:
    base = {"a": {"b": 1, "c": [1, 2]}, "d": 1}
    assert deep_merge(base, {"a": {"c": [3]}, "e": 2}) == {"a": {"b": 1, "c": [3]}, "d": 1, "e": 2}
    assert base == {"a": {"b": 1, "c": [1, 2]}, "d": 1}, "merging never mutates the base"


def test_null_override_replaces_value() -> None:
    assert deep_merge({"a": {"b": 1}}, {"a": None}) == {"a": None}


def test_effective_spec_of_environment(write_spec) -> None:
    path = write_spec(BASE + STAGING)
    staging = load_spec(path, "staging")
    dev = load_spec(path, "dev")
    assert staging.endpoint.serverless.memory_mb == 4096
    assert staging.endpoint.serverless.max_concurrency == 5, "siblings of an overridden key are kept"
    assert staging.monitoring.drift.features == {"amount": 0.2}
    assert staging.model.feature_names == ("amount",)
    assert staging.alarms.model_latency_ms is None and staging.alarms.drift is None
    assert dev.endpoint.serverless.memory_mb == 2048 and dev.alarms.model_latency_ms == 1000
    assert dev.model.feature_names == ("txn_count_1h", "amount")


def test_override_switches_endpoint_kind(write_spec) -> None:
    switch = STAGING.replace("endpoint: {serverless: {memory_mb: 4096}}",
                             "endpoint: {serverless: null, realtime: {instance_type: ml.c5.xlarge}}")
    spec = load_spec(write_spec(BASE + switch), "staging")
    assert spec.endpoint.kind == "realtime" and spec.endpoint.realtime.instance_type == "ml.c5.xlarge"


def test_errors_point_at_the_override_that_caused_them(write_spec) -> None:
    text = BASE + STAGING.replace("memory_mb: 4096", "memory_mb: 4000")
    findings = validate_spec(write_spec(text), "staging")
    line = text.splitlines().index("      endpoint: {serverless: {memory_mb: 4000}}") + 1
    assert [(f.rule, f.location.line) for f in findings] == [("FS101", line)]
    assert validate_spec(write_spec(text), "dev") == [], "the base itself stays valid"


def test_error_in_base_reported_once_for_all_environments(write_spec) -> None:
    text = (BASE + STAGING).replace("max_concurrency: 5", "max_concurrency: 0")
    findings = validate_spec(write_spec(text))
    assert [f.rule for f in findings] == ["FS102"]
