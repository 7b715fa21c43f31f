"""Challengers in the rendered Terraform: a model per variant, production variants sharing traffic by
weight, a shadow variant with its share of copied requests, auto scaling on the champion only.

The A/B golden (golden/challengers) is checked whole by test_goldens.py, against the real provider by
test_validate.py and by checkov; the shadow case renders the committed example's `shadow` environment.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

import yaml
from render_variants import SPECS, VARIANTS, make_project, render_spec
from schema_check import load_snapshot, problems

from fraudspec.lock.file import lock_path, read_lock
from fraudspec.render import render
from fraudspec.render.artifacts import artifacts_from_lock
from fraudspec.spec.model import Spec

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "specs" / "fraud-detection-challengers.yaml"
CHALLENGERS = next(variant for variant in VARIANTS if variant.name == "challengers")


def _resources(spec_file: Path, env: str, root: Path) -> tuple[dict, Spec]:
    """The rendered resources, checked against the provider schema snapshot, and the spec."""
    spec = make_project(root, spec_file, env)
    document = json.loads(render_spec(spec)["fraudspec.tf.json"])
    assert problems(document, load_snapshot()) == []
    return document["resource"], spec


def _models(resources: dict) -> dict[str, dict]:
    """Terraform model reference -> its container."""
    return {f"${{aws_sagemaker_model.{key}.name}}": body["primary_container"][0]
            for key, body in resources["aws_sagemaker_model"].items()}


def test_ab_challengers_are_production_variants_weighted_by_their_share(tmp_path: Path) -> None:
    resources, spec = _resources(SPECS / CHALLENGERS.spec_file, CHALLENGERS.env, tmp_path)
    config = resources["aws_sagemaker_endpoint_configuration"]["endpoint"]
    variants = {v["variant_name"]: v for v in config["production_variants"]}
    assert [v["variant_name"] for v in config["production_variants"]] == ["champion", "gbm", "logistic"]
    assert {name: v["initial_variant_weight"] for name, v in variants.items()} == {
        "champion": 85, "gbm": 10, "logistic": 5}, "whole percents: the provider reads weights back as float32"
    assert (variants["gbm"]["instance_type"], variants["gbm"]["initial_instance_count"]) == ("ml.m5.xlarge", 1)
    assert (variants["logistic"]["instance_type"], variants["logistic"]["initial_instance_count"]) == ("ml.c5.large", 2)
    assert "shadow_production_variants" not in config
    # each variant serves its own locked model, under a model name of its own
    artifacts = artifacts_from_lock(spec, read_lock(lock_path(spec.path)))
    models = _models(resources)
    assert models[variants["champion"]["model_name"]]["model_data_url"] == artifacts.model.uri
    for name in ("gbm", "logistic"):
        assert models[variants[name]["model_name"]]["model_data_url"] == artifacts.of(name).model.uri
    names = [body["name"] for body in resources["aws_sagemaker_model"].values()]
    assert len(set(names)) == 3


def test_only_the_champion_is_auto_scaled(tmp_path: Path) -> None:
    resources, _ = _resources(SPECS / CHALLENGERS.spec_file, CHALLENGERS.env, tmp_path)
    [target] = resources["aws_appautoscaling_target"].values()
    assert target["resource_id"] == "endpoint/${aws_sagemaker_endpoint.endpoint.name}/variant/champion"
    config = resources["aws_sagemaker_endpoint_configuration"]["endpoint"]
    assert config["production_variants"][0]["variant_name"] == "champion"
    assert config["lifecycle"]["ignore_changes"] == ["production_variants[0].initial_instance_count"]


def test_a_canary_rollout_stays_on_a_multi_variant_endpoint(tmp_path: Path) -> None:
    resources, _ = _resources(SPECS / CHALLENGERS.spec_file, CHALLENGERS.env, tmp_path)
    [config] = resources["aws_sagemaker_endpoint"]["endpoint"]["deployment_config"]
    [routing] = config["blue_green_update_policy"][0]["traffic_routing_configuration"]
    assert routing["type"] == "CANARY"


def test_a_shadow_challenger_is_a_shadow_variant_copied_its_share(tmp_path: Path) -> None:
    resources, spec = _resources(EXAMPLE, "shadow", tmp_path)
    config = resources["aws_sagemaker_endpoint_configuration"]["endpoint"]
    [production] = config["production_variants"]
    [shadow] = config["shadow_production_variants"]
    assert (production["variant_name"], production["initial_variant_weight"]) == ("AllTraffic", 100)
    assert (shadow["variant_name"], shadow["initial_variant_weight"]) == ("gbm", 20)
    assert (shadow["instance_type"], shadow["initial_instance_count"]) == ("ml.m5.large", 1)
    artifacts = artifacts_from_lock(spec, read_lock(lock_path(spec.path)))
    assert _models(resources)[shadow["model_name"]]["model_data_url"] == artifacts.of("gbm").model.uri
    # capture is the endpoint's: SageMaker files the shadow's records under capture/{endpoint}/gbm/
    assert len(config["data_capture_config"]) == 1
    [target] = resources["aws_appautoscaling_target"].values()
    assert target["resource_id"].endswith("/variant/AllTraffic")


def test_the_example_ab_environment_splits_ninety_ten(tmp_path: Path) -> None:
    resources, _ = _resources(EXAMPLE, "ab", tmp_path)
    config = resources["aws_sagemaker_endpoint_configuration"]["endpoint"]
    assert [(v["variant_name"], v["initial_variant_weight"]) for v in config["production_variants"]] == [
        ("AllTraffic", 90), ("gbm", 10)]
    assert "shadow_production_variants" not in config


def test_a_challenger_built_like_the_champion_still_gets_a_model_name_of_its_own(tmp_path: Path) -> None:
    data = yaml.safe_load((SPECS / CHALLENGERS.spec_file).read_text())
    data["endpoint"]["challengers"] = [{"variant": "same", "mode": "ab", "percent": 10, "model": {}}]
    spec_file = tmp_path / "same.yaml"
    spec_file.write_text(yaml.safe_dump(data))
    spec = make_project(tmp_path / "project", spec_file, CHALLENGERS.env)
    artifacts = artifacts_from_lock(spec, read_lock(lock_path(spec.path)))
    # the champion's very model (a challenger with no model keys of its own, built the same)
    same = replace(artifacts, variants=MappingProxyType({"same": artifacts.of(None)}))
    resources = json.loads(render(spec, same)["fraudspec.tf.json"])["resource"]
    models = resources["aws_sagemaker_model"]
    assert models["model"]["primary_container"] == models["model_same"]["primary_container"]
    assert models["model"]["name"] != models["model_same"]["name"]


def test_the_challengers_example_is_locked_rendered_and_committed() -> None:
    from fraudspec.cli.main import main

    lock = read_lock(lock_path(EXAMPLE))
    assert sorted(lock.environments) == ["ab", "shadow"]
    for entry in lock.environments.values():
        assert sorted(entry.variants) == ["gbm"] and sorted(entry.variants["gbm"]) == ["constraints", "model",
                                                                                      "statistics"]
        assert entry.variants["gbm"]["model"].sha256 != entry.artifacts["model"].sha256
    assert main(["render", "--check", "--spec", str(EXAMPLE)]) == 0, "terraform/shadow/ or ab/ is stale: render it"


def test_the_dashboard_shows_every_variant_and_each_challengers_drift(tmp_path: Path) -> None:
    document = json.loads(render_spec(make_project(tmp_path, EXAMPLE, "shadow"))["fraudspec.tf.json"])
    widgets = document["locals"]["dashboard"]["widgets"]
    invocations = next(w for w in widgets if w["properties"]["title"] == "Invocations and errors")
    variants = {metric[5] for metric in invocations["properties"]["metrics"]}
    assert variants == {"AllTraffic", "gbm"}
    drift = {w["properties"]["title"]: w for w in widgets if w["properties"]["title"].startswith("Feature drift")}
    assert sorted(drift) == ["Feature drift (distance to baseline)",
                             "Feature drift (distance to baseline): challenger gbm"]
    schedules = {title: {metric[5] for metric in widget["properties"]["metrics"]} for title, widget in drift.items()}
    assert schedules["Feature drift (distance to baseline)"] == {"rc-project-a-fraud-challenge-shadow-data-quality"}
    assert schedules["Feature drift (distance to baseline): challenger gbm"] == {
        "rc-project-a-fraud-challenge-shadow-data-quality-gbm"}
