"""Rollout policies: what SageMaker's deployment guardrails accept, rule by rule, with clear messages."""

from __future__ import annotations

import pytest

from fraudspec.spec.load import load_spec, validate_spec
from tests.spec.conftest import BASE

SERVERLESS = "endpoint:\n  serverless:\n    memory_mb: 2048\n    max_concurrency: 5\n"
REALTIME = "endpoint:\n  realtime:\n    instance_type: ml.m5.large\n    instance_count: 2\n"


def _spec(rollout: str, endpoint: str = REALTIME, extra: str = "") -> str:
    text = BASE.replace(SERVERLESS, endpoint + f"  rollout: {rollout}\n")
    return text.replace("alarms:\n", "alarms:\n" + extra) if extra else text


def _findings(write_spec, text: str) -> list[tuple[str, str, int]]:
    return [(f.rule, f.message, f.location.line if f.location else 0) for f in validate_spec(write_spec(text), "dev")]


def test_a_canary_on_a_realtime_endpoint_is_valid_and_typed(write_spec) -> None:
    path = write_spec(_spec("{strategy: canary, percent: 50, wait_seconds: 300}"))
    rollout = load_spec(path, "dev").endpoint.rollout
    assert rollout is not None and (rollout.strategy, rollout.percent, rollout.wait_seconds) == ("canary", 50, 300)
    assert rollout.rollback_on == ("error_5xx_rate", "model_latency") and rollout.final_bake_seconds == 600
    assert rollout.waiting_seconds == 300 + 600


@pytest.mark.parametrize(("rollout", "endpoint", "extra", "rule", "words"), [
    ("{strategy: canary, percent: 10}", SERVERLESS, "", "FS171", "serverless endpoint has none"),
    ("{strategy: linear, percent: 20}", SERVERLESS, "", "FS171", "updates serverless endpoints all at once"),
    ("{strategy: canary, percent: 10}", REALTIME.replace("ml.m5.large", "ml.inf1.xlarge"), "", "FS172",
     "Inf1 instances"),
    ("{strategy: canary, percent: 10, rollback_on: [error_4xx_rate]}", REALTIME, "  error_4xx_percent: null\n",
     "FS173", "alarms.error_4xx_percent is null"),
    ("{strategy: all_at_once, rollback_on: [cpu]}", SERVERLESS, "", "FS173", "serverless endpoints publish no cpu"),
    ("{strategy: canary, percent: 10, rollback_on: [model_quality]}", REALTIME, "", "FS173",
     "no model-quality alarm is declared"),
    ("{strategy: canary}", REALTIME, "", "FS174", "a canary rollout needs percent"),
    ("{strategy: linear, percent: 5}", REALTIME, "", "FS174", "SageMaker takes 10..50 %"),
    ("{strategy: all_at_once, percent: 10}", REALTIME, "", "FS174", "percent means nothing"),
    ("{strategy: canary, percent: 60}", REALTIME, "", "FS174", ""),
    ("{strategy: linear, percent: 10, wait_seconds: 3600}", REALTIME, "", "FS174", "SageMaker ends an update"),
])
def test_unsupported_rollouts_are_rejected_with_a_clear_message(write_spec, rollout, endpoint, extra, rule,
                                                                 words) -> None:
    text = _spec(rollout, endpoint, extra)
    findings = _findings(write_spec, text)
    assert [f[0] for f in findings] == [rule], findings
    assert words in findings[0][1]
    assert "rollout" in text.splitlines()[findings[0][2] - 1], "the finding points at the rollout's line"


def test_serverless_keeps_all_at_once_with_rollback_alarms(write_spec) -> None:
    assert _findings(write_spec, _spec("{strategy: all_at_once, rollback_on: [error_5xx_rate]}", SERVERLESS)) == []
