"""`build(spec)`: data -> train -> gate -> package into `build/<env>/`, cached by content.

`build_variants(spec)` builds the champion and then every challenger (spec.variant_specs), each into
its own view's workspace (`spec.workspace.own`: a challenger's is `variants/<name>/`), so each
variant has its own cache record and an unchanged one is never retrained because another changed.

Outputs (every write atomic):
    data/train.csv, data/validation.csv   the split, header = features in spec order + target
    model/model.tar.gz                    the SageMaker artifact (see package.py)
    model/manifest.json                   a copy of the artifact's manifest
    model/metrics.json                    validation and training metrics, and the gate's verdict
    model/build-cache.json                the inputs' key and the artifact's sha256

Cache: the key covers what the model is built from (fraudspec.spec.inputs.model_inputs, which the
lock's model digest hashes too), the library versions and the build code itself. When it matches and the
outputs are intact, nothing is retrained; the gate is still checked, since it is not part of the
key. A build that fails leaves no model behind (a stale artifact must not be deployed by
mistake); after a failed gate, the data and metrics.json remain to show why.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from fraudspec.artifact import export, package
from fraudspec.artifact.handler import predictor
from fraudspec.core import jsonfile
from fraudspec.core.errors import Finding, FraudspecError, Location
from fraudspec.core.files import write_atomic
from fraudspec.spec.inputs import model_inputs
from fraudspec.spec.model import CsvData, ModelSpec, Spec, frozen_map
from fraudspec.spec.workspace import Workspace
from fraudspec.training import dataset as datasets
from fraudspec.training import synthetic, train

# The exported model must reproduce scikit-learn's probabilities; more than this is a bug.
EXPORT_TOLERANCE = 1e-9
RULE_DATA = "FS704"  # the training data cannot give a model (too few rows, one class only)
# A spec key under `model` named in a hint (model.gate, model.data.csv), not the file model.tar.gz.
_SPEC_MODEL_KEY = re.compile(r"(?<![\w./])model\.(?!tar\.gz)")


@dataclass(frozen=True)
class BuildResult:
    model_tar: Path
    sha256: str  # of model.tar.gz
    train_csv: Path
    validation_csv: Path
    metrics: Mapping[str, float]  # validation metrics
    cached: bool  # True: inputs unchanged, nothing retrained
    manifest: Path
    metrics_json: Path


@dataclass(frozen=True)
class VariantBuild:
    """One variant's build: its view of the spec (spec.for_variant) and the result."""

    spec: Spec
    result: BuildResult

    @property
    def variant(self) -> str:
        return self.spec.variant.name


def build_variants(spec: Spec, *, progress: bool = True) -> tuple[VariantBuild, ...]:
    """The champion's build, then each challenger's, in the spec's order; the first failure stops."""
    return tuple(VariantBuild(view, build(view, progress=progress)) for view in spec.variant_specs)


def build(spec: Spec, *, progress: bool = True) -> BuildResult:
    """Build the model of `spec`'s variant (a challenger's view builds the challenger's)."""
    if spec.challenger is None:
        return _build(spec, progress)
    try:
        return _build(spec, progress)
    except FraudspecError as error:
        raise for_challenger(error, spec.challenger) from None


def for_challenger(error: FraudspecError, variant: str) -> FraudspecError:
    """The same problem, saying which challenger has it: its model settings are not the champion's."""
    return FraudspecError(f"challenger '{variant}': {error}", findings=[
        Finding(f.rule, f"challenger '{variant}': {f.message}", f.location,
                _SPEC_MODEL_KEY.sub(f"endpoint.challengers[{variant}].model.", f.hint), f.severity)
        for f in error.findings])


def _build(spec: Spec, progress: bool) -> BuildResult:
    model, spec_file = spec.model, str(spec.path)
    train.check_gate_names(model.gate, spec_file)
    paths = spec.workspace
    key = cache_key(model)
    record = _cached_record(paths, key)
    if record is not None:
        _gate(paths, model, record["report"], spec_file)
        return _result(paths, record["sha256"], record["report"], cached=True)
    # Outputs of other inputs go first, so a build that fails leaves nothing that contradicts the spec.
    _remove(paths.model_tar, paths.model_manifest, paths.build_cache, paths.model_metrics, paths.train_csv,
            paths.validation_csv)

    from tqdm import tqdm

    with tqdm(total=4, disable=not progress, file=sys.stderr, leave=False, unit="step",
              bar_format=f"build{_variant_label(spec)}: {{desc}} {{bar}} {{n_fmt}}/{{total_fmt}} "
                         "[{elapsed}]") as bar:
        with _step(bar, "data"):
            data = load_data(model, spec_file)
            train_set, validation_set = data.split(model.validation_fraction, model.split_seed)
            _check_classes(train_set, validation_set, spec_file)
            datasets.write_csv(train_set, paths.train_csv)
            datasets.write_csv(validation_set, paths.validation_csv)
        with _step(bar, f"train {model.algorithm}"):
            features = export.feature_manifest(data)
            exported, report = _train(model, features, train_set, validation_set, spec_file)
        with _step(bar, "gate"):
            _gate(paths, model, report, spec_file)
        with _step(bar, "package"):
            files = export.model_files(
                exported, algorithm=model.algorithm, features=features, target=model.target,
                decision_threshold=model.decision_threshold,
                hyperparameters={**train.DEFAULTS[model.algorithm], **model.hyperparameters},
                metrics=report["validation"],
            )
            archive = package.tar_gz({**files, **package.handler_files()})
            sha256 = hashlib.sha256(archive).hexdigest()
            write_atomic(paths.model_tar, archive)
            write_atomic(paths.model_manifest, files[predictor.MANIFEST])
            write_atomic(paths.build_cache, jsonfile.dumps({"key": key, "sha256": sha256, "report": report},
                                                           sort_keys=True))
    return _result(paths, sha256, report, cached=False)


def _variant_label(spec: Spec) -> str:
    return "" if spec.challenger is None else f" {spec.challenger}"


def _train(
    model: ModelSpec, features: list[dict[str, Any]], train_set: datasets.Dataset,
    validation_set: datasets.Dataset, spec_file: str,
) -> tuple[export.Exported, dict[str, Any]]:
    """Fit, export, and measure the exported model (what will be served) on both splits."""
    encoder = predictor.Encoder(features)
    vocabulary = {f["name"]: f["categories"] for f in features if f["type"] == "categorical"}
    X_train = encoder.expand(train_set.matrix(vocabulary))
    X_validation = encoder.expand(validation_set.matrix(vocabulary))
    fitted = train.fit(model.algorithm, model.hyperparameters, X_train, train_set.y, spec_file)
    exported = export.export(model.algorithm, fitted)
    portable = predictor.make_estimator(exported.estimator, exported.arrays)
    validation_p = portable.fraud_probability(X_validation)
    _check_export(fitted.predict_proba(X_validation)[:, 1], validation_p)
    threshold = model.decision_threshold
    report = {
        "algorithm": model.algorithm,
        "decision_threshold": threshold,
        "rows": {"train": len(train_set), "validation": len(validation_set)},
        "fraud_rate": {"train": train_set.fraud_rate, "validation": validation_set.fraud_rate},
        "validation": train.evaluate(validation_set.y, validation_p, threshold),
        "train": train.evaluate(train_set.y, portable.fraud_probability(X_train), threshold),
    }
    return exported, report


def load_data(model: ModelSpec, spec_file: str = "") -> datasets.Dataset:
    if isinstance(model.data, CsvData):
        return datasets.read_csv(model.data.path, model.features, model.target)
    settings = model.data
    if settings.rows < 10 or not 0 < settings.fraud_rate < 1:
        raise FraudspecError(
            f"synthetic data needs rows >= 10 and 0 < fraud_rate < 1, got rows={settings.rows} "
            f"fraud_rate={settings.fraud_rate}", location=Location(spec_file), rule=RULE_DATA,
            hint="fix model.data.synthetic",
        )
    return synthetic.generate(model.features, settings.rows, settings.seed, settings.fraud_rate, target=model.target)


def cache_key(model: ModelSpec) -> str:
    """A sha256 of everything the artifact depends on; the gate is not (it is checked on every build)."""
    inputs = {"model": model_inputs(model), "versions": export.library_versions(), "code": _build_code_sha256()}
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode("utf-8")).hexdigest()


def _build_code_sha256() -> str:
    """Changing the generator, trainer, exporter or handler invalidates earlier builds."""
    digest = hashlib.sha256()
    root = Path(__file__).parent
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _cached_record(paths: Workspace, key: str) -> dict | None:
    """The last build's record when its key matches and its outputs are intact, else None."""
    try:
        record = json.loads(paths.build_cache.read_text(encoding="utf-8"))
        intact = (
            record["key"] == key
            and hashlib.sha256(paths.model_tar.read_bytes()).hexdigest() == record["sha256"]
            and all(p.is_file() for p in (paths.train_csv, paths.validation_csv, paths.model_manifest))
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return record if intact else None


@contextmanager
def _step(bar, name: str) -> Iterator[None]:
    bar.set_description_str(name)
    yield
    bar.update()


def _check_classes(train_set: datasets.Dataset, validation_set: datasets.Dataset, spec_file: str) -> None:
    for name, part in (("training", train_set), ("validation", validation_set)):
        counts = np.bincount(part.y, minlength=2)
        if counts.min() == 0:
            raise FraudspecError(
                f"the {name} split has {counts[1]} fraud and {counts[0]} legitimate rows; it needs both",
                location=Location(spec_file), rule=RULE_DATA, hint="use more rows, or adjust model.validation_fraction",
            )


def _check_export(expected: np.ndarray, actual: np.ndarray) -> None:
    difference = float(np.max(np.abs(expected - actual)))
    if difference > EXPORT_TOLERANCE:
        raise RuntimeError(f"exported model differs from scikit-learn by {difference:.3g} (a fraudspec bug)")


def _gate(paths: Workspace, model: ModelSpec, report: Mapping[str, Any], spec_file: str) -> None:
    """Write metrics.json with the gate's verdict; on failure remove the model and fail."""
    results = train.gate_results(model.gate, report["validation"])
    write_atomic(paths.model_metrics, jsonfile.dumps({**report, "gate": results}, sort_keys=True))
    if all(r["passed"] for r in results.values()):
        return
    _remove(paths.model_tar, paths.model_manifest, paths.build_cache)
    train.enforce_gate(results, spec_file)


def _remove(*paths: Path) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def _result(paths: Workspace, sha256: str, report: Mapping[str, Any], *, cached: bool) -> BuildResult:
    return BuildResult(
        model_tar=paths.model_tar, sha256=sha256, train_csv=paths.train_csv, validation_csv=paths.validation_csv,
        metrics=frozen_map(report["validation"]), cached=cached, manifest=paths.model_manifest,
        metrics_json=paths.model_metrics,
    )

