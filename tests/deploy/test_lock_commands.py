"""The lock through the CLI: `build` locks and renders, `baseline` re-locks a threshold change,
`promote` gives staging dev's artifacts without training, and `render --check` agrees each time."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import boto3
import pytest
from deploy_support import fake_lambda_wheels
from moto import mock_aws

from fraudspec.lock.file import lock_path, read_lock

EXAMPLE = Path(__file__).resolve().parents[2] / "specs" / "fraud-detection.yaml"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The example, small enough to train in a second; the Lambda's wheels are stand-ins."""
    text = EXAMPLE.read_text().replace("rows: 20000", "rows: 8000").replace("n_estimators: 100", "n_estimators: 20")
    (tmp_path / "specs").mkdir()
    spec_file = tmp_path / "specs" / EXAMPLE.name
    spec_file.write_text(text)
    fake_lambda_wheels(tmp_path / "build" / "cache" / "lambda-wheels")
    return spec_file


def _run(cli, capsys, *argv: str) -> tuple[int, str, str]:
    code = cli(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_build_locks_every_artifact_and_renders(project: Path, cli, capsys) -> None:
    code, out, _ = _run(cli, capsys, "build", "--spec", str(project), "--env", "dev", "--no-progress")
    assert code == 0
    entry = read_lock(lock_path(project)).environments["dev"]
    assert sorted(entry.artifacts) == ["constraints", "model", "monitor_lambda", "statistics"]
    assert entry.promoted_from is None
    assert f"locked model          sha256:{entry.artifacts['model'].sha256[:12]} (new)" in out
    assert (project.parents[1] / "terraform" / "dev" / "fraudspec.tf.json").is_file()
    assert _run(cli, capsys, "render", "--check", "--spec", str(project), "--env", "dev")[0] == 0

    locked = lock_path(project).read_text()
    code, out, _ = _run(cli, capsys, "build", "--spec", str(project), "--env", "dev", "--no-progress")
    assert code == 0 and out.startswith("model unchanged") and out.count("(unchanged)") == 4
    assert lock_path(project).read_text() == locked


def test_a_threshold_change_needs_only_baseline(project: Path, cli, capsys) -> None:
    assert _run(cli, capsys, "build", "--spec", str(project), "--env", "dev", "--no-progress")[0] == 0
    before = read_lock(lock_path(project)).environments["dev"].artifacts
    project.write_text(project.read_text().replace("features: {amount: 0.05}", "features: {amount: 0.03}"))

    code, _, err = _run(cli, capsys, "render", "--check", "--spec", str(project), "--env", "dev")
    assert code == 1 and "constraints (the monitoring thresholds" in err and "fraudspec baseline --env dev" in err

    code, out, _ = _run(cli, capsys, "baseline", "--spec", str(project), "--env", "dev")
    assert code == 0 and "locked constraints    sha256:" in out and "(was sha256:" in out
    after = read_lock(lock_path(project)).environments["dev"].artifacts
    assert {kind for kind in after if after[kind] != before[kind]} == {"constraints"}
    assert _run(cli, capsys, "render", "--check", "--spec", str(project), "--env", "dev")[0] == 0


def test_baseline_of_another_csv_is_refused_for_aws(project: Path, cli, capsys, tmp_path: Path) -> None:
    code, _, err = _run(cli, capsys, "baseline", "--spec", str(project), "--env", "dev", "--data", str(tmp_path))
    assert code == 1 and "--data cannot baseline an aws environment" in err


def test_promote_through_the_cli_never_trains(project: Path, cli, capsys, monkeypatch) -> None:
    assert _run(cli, capsys, "build", "--spec", str(project), "--env", "dev", "--no-progress")[0] == 0
    from fraudspec.training import train

    monkeypatch.setattr(train, "fit", lambda *args, **kwargs: pytest.fail("promotion trained a model"))
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        s3 = boto3.client("s3", region_name="ap-southeast-1")
        for bucket in ("acme-sm-rc-project-a", "acme-sm-rc-staging"):
            s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "ap-southeast-1"})
        code, out, err = _run(cli, capsys, "promote", "--spec", str(project), "--from", "dev", "--to", "staging",
                              "--no-progress")
    assert code == 0, err
    lock = read_lock(lock_path(project))
    model = lock.environments["dev"].artifacts["model"].sha256
    assert f"staging: model sha256:{model[:12]} (new, promoted from dev)" in out
    assert out.count("(sha256 verified)") == 4 and "a new endpoint is created" in out
    assert "apply --env staging`" in out  # spelled as fraudspec was run, so it pastes
    assert {k: a.sha256 for k, a in lock.environments["staging"].artifacts.items()} == \
        {k: a.sha256 for k, a in lock.environments["dev"].artifacts.items()}
    assert not (project.parents[1] / "build" / "fraud-detection" / "staging").exists()
    assert _run(cli, capsys, "render", "--check", "--spec", str(project))[0] == 0
    with mock_aws():  # again, into fresh buckets, as JSON: the lock is already promoted, so staging does not change
        s3 = boto3.client("s3", region_name="ap-southeast-1")
        for bucket in ("acme-sm-rc-project-a", "acme-sm-rc-staging"):
            s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "ap-southeast-1"})
        code, out, err = _run(cli, capsys, "promote", "--spec", str(project), "--from", "dev", "--to", "staging",
                              "--no-progress", "--format", "json")
    document = json.loads(out)
    assert document["changes"]["environment"] == "staging" and len(document["moved"]) == 4
    assert all(moved["verified"] for moved in document["moved"]) and "terraform/staging/: unchanged" in err
    root = project.parents[1]  # paths are relative to the working directory, wherever the tests run from
    text = json.dumps(document, indent=2).replace(os.path.relpath(root), "<project>").replace(str(root), "<project>")
    golden = re.sub(r"[0-9a-f]{64}", "<sha256>", text)
    golden = re.sub(r"sha256:[0-9a-f]{12}", "sha256:<12>", golden) + "\n"
    path = Path(__file__).parent / "golden" / "promote.json"
    if os.environ.get("FRAUDSPEC_UPDATE_GOLDENS"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(golden)
    assert golden == path.read_text(), "FRAUDSPEC_UPDATE_GOLDENS=1 rewrites tests/deploy/golden/promote.json"
