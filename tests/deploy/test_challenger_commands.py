"""Challengers through the CLI on an aws environment: `build` builds, profiles and locks every variant and
renders; `baseline` re-locks every variant's baseline; `promote` carries the challengers to staging."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest
from deploy_support import fake_lambda_wheels
from moto import mock_aws

from fraudspec.lock.file import lock_path, read_lock
from tests.lock.challenger_project import AB, SHADOW, spec_text, write_project


def _project(tmp_path: Path, challengers: str) -> Path:
    fake_lambda_wheels(tmp_path / "build" / "cache" / "lambda-wheels")
    return write_project(tmp_path, spec_text(challengers))


def _run(cli, capsys, *argv: str) -> tuple[int, str, str]:
    code = cli(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_build_locks_every_variant_and_a_rebuild_changes_nothing(tmp_path: Path, cli, capsys) -> None:
    spec = _project(tmp_path, AB)
    code, out, err = _run(cli, capsys, "build", "--spec", str(spec), "--env", "dev", "--no-progress")
    assert code == 0, err
    entry = read_lock(lock_path(spec)).environments["dev"]
    assert sorted(entry.variants) == ["deep", "gbm"]
    for name in ("deep", "gbm"):
        own = tmp_path / "build" / "fraud-detection" / "dev" / "variants" / name
        assert all((own / "monitoring" / name).is_file() for name in ("statistics.json", "constraints.json"))
        assert f"locked model          sha256:{entry.variants[name]['model'].sha256[:12]} (new) for challenger {name}" \
            in out
    assert _run(cli, capsys, "render", "--check", "--spec", str(spec), "--env", "dev")[0] == 0

    locked = lock_path(spec).read_bytes()
    code, out, _ = _run(cli, capsys, "build", "--spec", str(spec), "--env", "dev", "--no-progress")
    assert code == 0 and out.count("(unchanged)") == 4 + 2 * 3 and out.count("model unchanged") == 3
    assert lock_path(spec).read_bytes() == locked


def test_a_challengers_threshold_change_needs_only_baseline(tmp_path: Path, cli, capsys) -> None:
    spec = _project(tmp_path, SHADOW)
    assert _run(cli, capsys, "build", "--spec", str(spec), "--env", "dev", "--no-progress")[0] == 0
    before = read_lock(lock_path(spec)).environments["dev"]
    spec.write_text(spec.read_text().replace("features: {amount: 0.05}", "features: {amount: 0.03}"))

    code, _, err = _run(cli, capsys, "render", "--check", "--spec", str(spec), "--env", "dev")
    assert code == 1 and "constraints of challenger gbm (the monitoring thresholds" in err
    assert "fraudspec baseline --env dev" in err

    code, out, _ = _run(cli, capsys, "baseline", "--spec", str(spec), "--env", "dev")
    assert code == 0 and "challenger gbm (shadow)" in out
    assert any("locked constraints" in line and "(was sha256:" in line and "challenger gbm" in line
               for line in out.splitlines())
    after = read_lock(lock_path(spec)).environments["dev"]
    assert after.variants["gbm"]["model"] == before.variants["gbm"]["model"]
    assert after.variants["gbm"]["constraints"] != before.variants["gbm"]["constraints"]
    assert _run(cli, capsys, "render", "--check", "--spec", str(spec), "--env", "dev")[0] == 0


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch):
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        client = boto3.client("s3", region_name="ap-southeast-1")
        for bucket in ("acme-sm-rc-project-a", "acme-sm-rc-staging"):
            client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "ap-southeast-1"})
        yield client


def test_promote_carries_the_challengers(tmp_path: Path, cli, capsys, s3, monkeypatch) -> None:
    spec = _project(tmp_path, AB)
    assert _run(cli, capsys, "build", "--spec", str(spec), "--env", "dev", "--no-progress")[0] == 0
    from fraudspec.training import train

    monkeypatch.setattr(train, "fit", lambda *args, **kwargs: pytest.fail("promotion trained a model"))
    code, out, err = _run(cli, capsys, "promote", "--from", "dev", "--to", "staging", "--spec", str(spec),
                          "--no-progress")
    assert code == 0, err
    lock = read_lock(lock_path(spec))
    dev, staging = lock.environments["dev"], lock.environments["staging"]
    assert staging.promoted_from == "dev" and sorted(staging.variants) == ["deep", "gbm"]
    keys = {item["Key"] for item in s3.list_objects_v2(Bucket="acme-sm-rc-staging")["Contents"]}
    for name in ("deep", "gbm"):
        for kind, locked in staging.variants[name].items():
            assert locked.sha256 == dev.variants[name][kind].sha256
            assert locked.uri.startswith("s3://acme-sm-rc-staging/") and locked.uri.split("/", 3)[3] in keys
        assert f"(sha256 verified, challenger {name})" in out
    assert _run(cli, capsys, "render", "--check", "--spec", str(spec), "--env", "staging")[0] == 0
