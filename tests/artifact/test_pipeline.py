from __future__ import annotations

import hashlib
import json
import tarfile

import pytest

from fraudspec.artifact import pipeline
from fraudspec.core.errors import FraudspecError
from fraudspec.spec.model import CsvData, frozen_map
from fraudspec.training import train
from fraudspec.training.dataset import read_csv, write_csv
from fraudspec.training.synthetic import generate


def test_build_writes_data_model_manifest_and_metrics(tmp_path, make_spec, example_features):
    spec = make_spec(tmp_path)
    result = pipeline.build(spec, progress=False)
    out = tmp_path / "build" / "fraud-detection" / "local"
    assert result.model_tar == out / "model" / "model.tar.gz" and not result.cached
    assert result.sha256 == hashlib.sha256(result.model_tar.read_bytes()).hexdigest()
    train_set = read_csv(result.train_csv, example_features, "is_fraud")
    validation = read_csv(result.validation_csv, example_features, "is_fraud")
    assert (len(train_set), len(validation)) == (3200, 800)
    assert result.train_csv.read_text().splitlines()[0] == ",".join(f.name for f in example_features) + ",is_fraud"
    metrics = json.loads(result.metrics_json.read_text())
    assert metrics["validation"] == dict(result.metrics)
    assert metrics["rows"] == {"train": 3200, "validation": 800}
    assert result.metrics["roc_auc"] > 0.9
    with tarfile.open(result.model_tar) as archive:
        names = archive.getnames()
        assert archive.extractfile("manifest.json").read() == result.manifest.read_bytes()
    assert {"manifest.json", "code/inference.py", "code/predictor.py", "value.npy"} <= set(names)
    manifest = json.loads(result.manifest.read_text())
    assert manifest["hyperparameters"] == {"n_estimators": 20, "max_depth": 8, "random_state": 0}
    assert manifest["metrics"] == metrics["validation"]


def test_unchanged_inputs_are_not_retrained(tmp_path, make_spec, monkeypatch):
    first = pipeline.build(make_spec(tmp_path), progress=False)
    written = first.model_tar.stat().st_mtime_ns

    def no_training(*args, **kwargs):
        raise AssertionError("retrained")

    monkeypatch.setattr(train, "fit", no_training)
    again = pipeline.build(make_spec(tmp_path), progress=False)
    assert again.cached and again.sha256 == first.sha256 and again.metrics == first.metrics
    assert again.model_tar.stat().st_mtime_ns == written


def test_changed_inputs_or_damaged_outputs_rebuild(tmp_path, make_spec):
    first = pipeline.build(make_spec(tmp_path), progress=False)
    changed = pipeline.build(make_spec(tmp_path, hyperparameters={"n_estimators": 21, "max_depth": 8}), progress=False)
    assert not changed.cached and changed.sha256 != first.sha256
    changed.model_tar.write_bytes(b"damaged")
    repaired = pipeline.build(make_spec(tmp_path, hyperparameters={"n_estimators": 21, "max_depth": 8}), progress=False)
    assert not repaired.cached and repaired.sha256 == changed.sha256


@pytest.mark.parametrize("algorithm", ["random_forest", "gradient_boosting", "logistic_regression"])
def test_builds_are_byte_for_byte_reproducible(tmp_path, make_spec, algorithm):
    hyperparameters = {"random_forest": {"n_estimators": 10}, "gradient_boosting": {"max_iter": 30}}.get(algorithm, {})
    results = [
        pipeline.build(make_spec(tmp_path / name, algorithm=algorithm, hyperparameters=hyperparameters), progress=False)
        for name in ("one", "two")
    ]
    assert results[0].sha256 == results[1].sha256
    assert results[0].model_tar.read_bytes() == results[1].model_tar.read_bytes()
    assert results[0].train_csv.read_bytes() == results[1].train_csv.read_bytes()


def test_an_unmet_gate_fails_with_the_measured_values_and_leaves_no_model(tmp_path, make_spec):
    pipeline.build(make_spec(tmp_path), progress=False)
    strict = make_spec(tmp_path, gate=frozen_map({"roc_auc": 0.9999, "accuracy": 0.5}))
    with pytest.raises(FraudspecError) as caught:
        pipeline.build(strict, progress=False)  # the cached model is judged again, and fails
    metrics = json.loads((tmp_path / "build/fraud-detection/local/model/metrics.json").read_text())
    measured = metrics["validation"]["roc_auc"]
    assert f"validation roc_auc {measured:.4f} is below the gate's 0.9999" in str(caught.value)
    assert "accuracy" not in str(caught.value)
    assert metrics["gate"]["roc_auc"] == {"minimum": 0.9999, "measured": measured, "passed": False}
    assert metrics["gate"]["accuracy"]["passed"] is True
    assert not (tmp_path / "build/fraud-detection/local/model/model.tar.gz").exists()
    assert not (tmp_path / "build/fraud-detection/local/model/manifest.json").exists()


@pytest.mark.parametrize(
    ("model", "message", "hint"),
    [
        ({"gate": frozen_map({"log_loss": 0.1})}, "unsupported metric(s) log_loss", "roc_auc"),
        ({"hyperparameters": {"n_trees": 5}}, "random_forest has no hyperparameter(s) n_trees", "n_estimators"),
        ({"hyperparameters": {"n_estimators": -1}}, "random_forest rejected its hyperparameters",
         "model.hyperparameters"),
        ({"rows": 60}, "the validation split has 0 fraud", "more rows"),
    ],
)
def test_user_mistakes_are_fraudspec_errors(tmp_path, make_spec, model, message, hint):
    with pytest.raises(FraudspecError, match=message.replace("(", r"\(").replace(")", r"\)")) as caught:
        pipeline.build(make_spec(tmp_path, **model), progress=False)
    assert hint in caught.value.hint


def test_csv_data_is_read_and_its_content_keys_the_cache(tmp_path, make_spec, example_features):
    path = tmp_path / "transactions.csv"
    write_csv(generate(example_features, 3000, seed=1), path)
    spec = make_spec(tmp_path, data=CsvData(path))
    first = pipeline.build(spec, progress=False)
    assert pipeline.build(spec, progress=False).cached
    write_csv(generate(example_features, 3000, seed=2), path)
    second = pipeline.build(spec, progress=False)
    assert not second.cached and second.sha256 != first.sha256


def test_a_bad_csv_is_located_and_leaves_no_stale_outputs(tmp_path, make_spec):
    earlier = pipeline.build(make_spec(tmp_path), progress=False)
    path = tmp_path / "transactions.csv"
    path.write_text("txn_count_1h,amount,is_fraud\n1,2,0\n")
    with pytest.raises(FraudspecError, match="missing column") as caught:
        pipeline.build(make_spec(tmp_path, data=CsvData(path)), progress=False)
    assert caught.value.location.file == str(path)
    assert not earlier.model_tar.exists() and not earlier.train_csv.exists() and not earlier.metrics_json.exists()


def test_progress_goes_to_stderr(tmp_path, make_spec, capsys):
    pipeline.build(make_spec(tmp_path), progress=True)
    captured = capsys.readouterr()
    assert captured.out == "" and "build: package" in captured.err
