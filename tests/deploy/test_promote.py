"""Promotion against moto S3: staging gets exactly dev's locked artifacts, verified, never rebuilt."""

from __future__ import annotations

import shutil
from pathlib import Path

import boto3
import pytest
from deploy_support import FIXTURE_ARTIFACTS, built_project
from moto import mock_aws

from fraudspec.core.errors import FraudspecError
from fraudspec.deploy.promote import promote
from fraudspec.deploy.publish import publish
from fraudspec.lock import file as lock_file
from fraudspec.lock import inputs as lock_inputs
from fraudspec.lock.file import lock_path, read_lock
from fraudspec.lock.inputs import spec_digests
from fraudspec.lock.layout import LAYOUT
from fraudspec.render.artifacts import artifacts_from_lock
from fraudspec.render.environment import render_environment, rendered
from fraudspec.spec.load import load_spec
from fraudspec.spec.model import Spec

EXAMPLE = Path(__file__).resolve().parents[2] / "specs" / "fraud-detection.yaml"
REGION, DEV_BUCKET, STAGING_BUCKET = "ap-southeast-1", "acme-sm-rc-project-a", "acme-sm-rc-staging"


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        client = boto3.client("s3", region_name=REGION)
        for bucket in (DEV_BUCKET, STAGING_BUCKET):
            client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
        yield client


@pytest.fixture
def never_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    from fraudspec.artifact import pipeline
    from fraudspec.monitoring.engine import baseline
    from fraudspec.training import train

    for module, name in ((pipeline, "build"), (train, "fit"), (baseline, "write_baseline")):
        monkeypatch.setattr(module, name, lambda *args, **kwargs: pytest.fail("promotion built something"))


def _keys(s3, bucket: str) -> set[str]:
    return {item["Key"] for item in s3.list_objects_v2(Bucket=bucket).get("Contents", [])}


def _specs(tmp_path: Path, text: str | None = None) -> tuple[Spec, Spec]:
    dev = built_project(tmp_path, text or EXAMPLE.read_text(), "dev")
    return dev, load_spec(dev.path, "staging")


def test_promotion_round_trip(tmp_path: Path, s3, never_builds) -> None:
    dev, staging = _specs(tmp_path)
    dev_artifacts = artifacts_from_lock(dev, read_lock(lock_path(dev.path)))
    sources = {a.sha256: dev.workspace.root / LAYOUT[a.kind].build_path for a in dev_artifacts.all()}
    publish(dev_artifacts.all(), sources, s3, missing_hint="", progress=False)  # dev was deployed ...
    shutil.rmtree(tmp_path / "build")  # ... and this machine never built it

    promotion = promote(dev, staging, s3, progress=False)

    assert [m.action for m in promotion.moved] == ["copied"] * 4
    lock = read_lock(lock_path(dev.path))
    entry = lock.environments["staging"]
    assert entry.promoted_from == "dev" and promotion.after == entry and promotion.before is None
    for kind, locked in entry.artifacts.items():
        assert locked.sha256 == lock.environments["dev"].artifacts[kind].sha256
        assert locked.uri.startswith(f"s3://{STAGING_BUCKET}/") and locked.spec_sha256 == spec_digests(staging)[kind]
        key = locked.uri.removeprefix(f"s3://{STAGING_BUCKET}/")
        assert s3.get_object(Bucket=STAGING_BUCKET, Key=key)["Body"].read() == FIXTURE_ARTIFACTS[kind]
    model_url = f"s3://{STAGING_BUCKET}/fraudspec/fraud-detection/models/sha256/{dev_artifacts.model.sha256}/" \
                "model.tar.gz"
    assert f'"model_data_url": "{model_url}"' in rendered(staging).files["fraudspec.tf.json"]
    assert not (tmp_path / "build").exists()

    lock_text = lock_path(dev.path).read_text()
    again = promote(dev, staging, s3, progress=False)
    assert [m.action for m in again.moved] == ["present"] * 4 and again.before == entry
    assert lock_path(dev.path).read_text() == lock_text


def test_artifacts_dev_never_published_are_uploaded_from_its_build(tmp_path: Path, s3) -> None:
    dev, staging = _specs(tmp_path)
    assert [m.action for m in promote(dev, staging, s3, progress=False).moved] == ["uploaded"] * 4
    assert _keys(s3, DEV_BUCKET) == set()
    assert len(_keys(s3, STAGING_BUCKET)) == 4


def test_artifacts_found_nowhere_are_refused(tmp_path: Path, s3) -> None:
    dev, staging = _specs(tmp_path)
    shutil.rmtree(tmp_path / "build")
    with pytest.raises(FraudspecError, match=r"dev's model .* is neither at s3://acme-sm-rc-project-a/") as error:
        promote(dev, staging, s3, progress=False)
    assert "fraudspec apply --env dev" in error.value.hint
    assert "staging" not in read_lock(lock_path(dev.path)).environments


def test_a_stale_source_is_refused(tmp_path: Path, s3) -> None:
    dev, _ = _specs(tmp_path)
    dev.path.write_text(dev.path.read_text().replace("n_estimators: 100", "n_estimators: 120"))
    dev, staging = load_spec(dev.path, "dev"), load_spec(dev.path, "staging")
    with pytest.raises(FraudspecError, match="the lock is stale for environment 'dev': model") as error:
        promote(dev, staging, s3, progress=False)
    assert error.value.hint.startswith("run `fraudspec build --env dev`")
    assert _keys(s3, STAGING_BUCKET) == set()
    assert "staging" not in read_lock(lock_path(dev.path)).environments


def test_a_target_asking_for_other_artifacts_is_refused(tmp_path: Path, s3) -> None:
    text = EXAMPLE.read_text().replace(
        "      endpoint: {serverless: {memory_mb: 4096, max_concurrency: 20}}",
        "      endpoint: {serverless: {memory_mb: 4096, max_concurrency: 20}}\n"
        "      monitoring: {drift: {features: {amount: 0.03}}}")
    dev, staging = _specs(tmp_path, text)
    expected = r"staging's spec asks for other artifacts than dev's: monitoring\.drift\.features\.amount " \
               r"\(dev 0\.05, staging 0\.03\)$"
    with pytest.raises(FraudspecError, match=expected) as error:
        promote(dev, staging, s3, progress=False)
    assert "`fraudspec build --env staging`" in error.value.hint
    assert _keys(s3, STAGING_BUCKET) == set()


def test_an_environment_cannot_be_promoted_to_itself(tmp_path: Path, s3) -> None:
    dev, _ = _specs(tmp_path)
    with pytest.raises(FraudspecError, match="cannot promote environment 'dev' to itself"):
        promote(dev, dev, s3, progress=False)



def test_promotion_and_its_render_read_the_lock_once_and_digest_each_spec_once(
        tmp_path: Path, s3, monkeypatch: pytest.MonkeyPatch) -> None:
    dev, staging = _specs(tmp_path)
    reads, digests = [], []
    real_loads, real_inputs = lock_file.loads, lock_inputs.model_inputs
    monkeypatch.setattr(lock_file, "loads", lambda *args: reads.append(args) or real_loads(*args))
    monkeypatch.setattr(lock_inputs, "model_inputs", lambda model: digests.append(model) or real_inputs(model))
    promotion = promote(dev, staging, s3, progress=False)
    result = render_environment(staging, echo=lambda line: None, lock=promotion.lock, digests=promotion.digests)
    assert (len(reads), len(digests)) == (1, 2), "one read of the lock; one digest of dev's spec and one of staging's"
    assert promotion.lock == read_lock(lock_path(dev.path)) and promotion.digests == spec_digests(staging)
    assert result.files == rendered(staging).files
