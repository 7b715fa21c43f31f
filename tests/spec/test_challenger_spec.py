"""Challengers: what SageMaker hosts beside a champion, typed as variants and as per-variant views of the spec."""

from __future__ import annotations

import pytest

from fraudspec.spec.load import load_spec, validate_spec
from tests.spec.conftest import BASE

SERVERLESS = "endpoint:\n  serverless:\n    memory_mb: 2048\n    max_concurrency: 5\n"
REALTIME = "endpoint:\n  realtime:\n    instance_type: ml.m5.large\n    instance_count: 2\n"
SHADOW = "    - {variant: gbm, mode: shadow, percent: 30, model: {algorithm: gradient_boosting}}\n"
AB = "    - {variant: deep, mode: ab, percent: 10, model: {hyperparameters: {max_depth: 20}}, instance_count: 2}\n"


def _spec(challengers: str, endpoint: str = REALTIME) -> str:
    return BASE.replace(SERVERLESS, endpoint + "  challengers:\n" + challengers)


def _findings(write_spec, text: str) -> list[tuple[str, str, str]]:
    lines = text.splitlines()
    return [(f.rule, f.message, lines[f.location.line - 1] if f.location and f.location.line else "")
            for f in validate_spec(write_spec(text), "dev")]


def test_a_shadow_challenger_is_a_variant_with_its_own_model_workspace_and_job_names(write_spec) -> None:
    spec = load_spec(write_spec(_spec(SHADOW)), "dev")
    champion, shadow = spec.endpoint.variants
    assert (champion.name, champion.role, champion.weight) == ("AllTraffic", "champion", 1.0)
    assert champion.instance_count == 2
    assert (shadow.name, shadow.role, shadow.weight, shadow.answers) == ("gbm", "shadow", 0.3, False)
    assert shadow.instance_type == "ml.m5.large" and shadow.instance_count == 1
    own, view = spec.variant_specs
    assert own is spec and view.challenger == "gbm" and view.variant == shadow
    assert view.model.algorithm == "gradient_boosting" and dict(view.model.hyperparameters) == {}
    assert view.model.features == spec.model.features and view.model.target == spec.model.target
    assert view.workspace.model_tar == spec.workspace.root / "variants" / "gbm" / "model" / "model.tar.gz"
    assert view.workspace.statistics.is_relative_to(spec.workspace.root / "variants" / "gbm")
    assert view.workspace.capture == spec.workspace.capture, "capture is the endpoint's, one folder per variant"
    assert view.names.monitoring_schedule == spec.names.monitoring_schedule + "-gbm"
    assert view.names.endpoint == spec.names.endpoint


def test_ab_challengers_take_their_share_and_keep_the_algorithms_hyperparameters(write_spec) -> None:
    spec = load_spec(write_spec(_spec(AB)), "dev")
    champion, deep = spec.endpoint.variants
    assert (champion.weight, deep.weight, deep.answers, deep.instance_count) == (0.9, 0.1, True, 2)
    view = spec.for_variant("deep")
    assert view.model.algorithm == "random_forest"
    # the challenger's hyperparameters replace the champion's
    assert dict(view.model.hyperparameters) == {"max_depth": 20}


@pytest.mark.parametrize(("challengers", "endpoint", "rule", "words", "line"), [
    (SHADOW, SERVERLESS, "FS181", "serverless endpoint hosts one variant", "challengers:"),
    ("    - {variant: AllTraffic, mode: ab, percent: 10}\n", REALTIME, "FS182", "already taken", "AllTraffic"),
    (SHADOW + AB, REALTIME, "FS183", "one production variant and one shadow", "variant: gbm"),
    (AB + AB.replace("deep", "deeper").replace("10", "90"), REALTIME, "FS184", "answer 100 %", "deeper"),
    ("    - {variant: gbm, mode: ab, percent: 5, model: {algorithm: gradient_boosting, "
     "hyperparameters: {n_estimators: 9}}}\n", REALTIME, "FS185", "not a gradient_boosting hyperparameter", "gbm"),
    ("    - {variant: gbm, mode: ab, percent: 5, model: {data: {csv: missing.csv}}}\n", REALTIME, "FS185",
     "does not exist", "missing.csv"),
])
def test_what_sagemaker_cannot_host_is_rejected_where_it_is_written(write_spec, challengers, endpoint, rule, words,
                                                                    line) -> None:
    findings = _findings(write_spec, _spec(challengers, endpoint))
    assert [f[0] for f in findings] == [rule], findings
    assert words in findings[0][1] and line in findings[0][2]


def test_model_monitor_cannot_watch_variants_apart(write_spec) -> None:
    text = _spec(SHADOW).replace("  schedule: hourly", "  engine: sagemaker\n  schedule: hourly")
    assert [f[0] for f in _findings(write_spec, text)] == ["FS186"]


def test_a_challenger_may_not_change_the_features(write_spec) -> None:
    text = _spec("    - {variant: gbm, mode: shadow, percent: 5, model: {target: other}}\n")
    assert [f[0] for f in _findings(write_spec, text)] != []
