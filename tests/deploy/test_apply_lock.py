"""`apply` on aws deploys exactly the lock: it refuses, before touching AWS, a lock that is stale
against the spec or that build/ disagrees with, and names the command that fixes it."""

from __future__ import annotations

from pathlib import Path

import pytest
from deploy_support import built_project, fake_lambda_wheels

from fraudspec.core.errors import FraudspecError
from fraudspec.deploy import aws, lambda_package
from fraudspec.lock.file import lock_path, read_lock, update_lock
from fraudspec.lock.model import LockEntry
from fraudspec.lock.record import record_built
from fraudspec.lock.stale import stale_artifacts
from fraudspec.render.environment import rendered
from fraudspec.spec.load import load_spec
from fraudspec.spec.model import Spec

EXAMPLE = Path(__file__).resolve().parents[2] / "specs" / "fraud-detection.yaml"


def _never(question: str) -> bool:
    raise AssertionError("apply must refuse before asking")


def _dev(tmp_path: Path) -> Spec:
    """dev built and locked, its monitoring Lambda the one this fraudspec builds."""
    spec = built_project(tmp_path, EXAMPLE.read_text(), "dev")
    fake_lambda_wheels(tmp_path / "build" / "cache" / "lambda-wheels")
    lambda_package.build(spec)
    record_built(spec, ("monitor_lambda",), whole_entry=False)
    return spec


def _edit(spec: Spec, old: str, new: str, env: str = "dev") -> Spec:
    text = spec.path.read_text()
    assert old in text
    spec.path.write_text(text.replace(old, new))
    return load_spec(spec.path, env)


@pytest.mark.parametrize(("old", "new", "stale", "command"), [
    ("n_estimators: 100", "n_estimators: 120", "model (the model section changed since it was built)", "build"),
    ("features: {amount: 0.05}", "features: {amount: 0.03}", "constraints (the monitoring thresholds", "baseline"),
])
def test_a_stale_lock_is_refused_with_the_command(tmp_path: Path, old: str, new: str, stale: str,
                                                  command: str) -> None:
    spec = _edit(_dev(tmp_path), old, new)
    with pytest.raises(FraudspecError, match="the lock is stale for environment 'dev'") as error:
        aws.apply(spec, _never)
    assert stale in str(error.value)
    assert error.value.hint.startswith(f"run `fraudspec {command} --env dev`")


def test_an_endpoint_change_leaves_the_lock_fresh(tmp_path: Path) -> None:
    spec = _edit(_dev(tmp_path), "{memory_mb: 2048, max_concurrency: 5}", "{memory_mb: 3072, max_concurrency: 5}")
    assert stale_artifacts(spec, read_lock(lock_path(spec.path)).environments["dev"]) == ()
    assert '"memory_size_in_mb": 3072' in rendered(spec).files["fraudspec.tf.json"]


def test_a_built_artifact_that_disagrees_with_the_lock_is_refused(tmp_path: Path) -> None:
    spec = _dev(tmp_path)
    (spec.workspace.model_tar).write_bytes(b"retrained by hand\n")
    with pytest.raises(FraudspecError, match=r"model\.tar\.gz is sha256 [0-9a-f]{12}, but .*locks sha256") as error:
        aws.apply(spec, _never)
    assert error.value.hint.startswith("run `fraudspec build --env dev` to rebuild and re-lock")


def test_a_monitoring_lambda_from_other_code_is_refused(tmp_path: Path) -> None:
    spec = built_project(tmp_path, EXAMPLE.read_text(), "dev")  # locks fixture bytes as the Lambda
    fake_lambda_wheels(tmp_path / "build" / "cache" / "lambda-wheels")
    with pytest.raises(FraudspecError, match="monitoring code changed since the lock was written"):
        aws.apply(spec, _never)


def test_a_stale_promoted_entry_is_refused_with_promote(tmp_path: Path) -> None:
    dev = _dev(tmp_path)
    entry = LockEntry(read_lock(lock_path(dev.path)).environments["dev"].artifacts, promoted_from="dev")
    update_lock(lock_path(dev.path), lambda lock: lock.with_entry("staging", entry))
    staging = load_spec(dev.path, "staging")
    with pytest.raises(FraudspecError, match=r"locked at s3://acme-sm-rc-project-a/.* but the spec puts it at "
                                             "s3://acme-sm-rc-staging/") as error:
        aws.apply(staging, _never)
    assert "`fraudspec promote --from dev --to staging`" in error.value.hint
