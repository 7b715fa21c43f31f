"""`fraudspec diff`: golden outputs for typical pull requests, and the rules behind them."""

from __future__ import annotations

from pathlib import Path

import pytest
from scenarios import SCENARIOS, committed_repo, git, golden, run_diff

from fraudspec.cli.main import main
from fraudspec.review.git import default_ref

UPDATE = "run `.venv/bin/python tests/review/update_goldens.py` and review `git diff tests/review/golden`"


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_diff_matches_golden(scenario: str, tmp_path: Path) -> None:
    for fmt, output in run_diff(scenario, tmp_path).items():
        assert output == golden(scenario, fmt).read_text(), f"{scenario} ({fmt}) differs from its golden file: {UPDATE}"


def test_the_issue_pull_request_shows_exactly_its_two_changes(tmp_path: Path) -> None:
    """Raising staging's memory and tightening a threshold: those two lines, for staging, nothing else."""
    markdown = run_diff("memory-and-threshold", tmp_path)["markdown"]
    assert [line for line in markdown.splitlines() if line.startswith("- ")] == [
        "- serverless memory 4096 → 6144 MB", "- model latency alarm 1000 → 500 ms"]
    assert "| dev | no changes |" in markdown and "#### dev" not in markdown
    assert "[!WARNING]" not in markdown
    rows = [line for line in markdown.splitlines() if line.startswith(("| ~ ", "| -/+ ", "| + ", "| - "))]
    assert [row.split("`")[1] for row in rows] == ["aws_cloudwatch_metric_alarm.model_latency",
                                                  "aws_sagemaker_endpoint_configuration.endpoint"]


def _diff(spec_file: Path, capsys, *args: str) -> tuple[int, str, str]:
    code = main(["diff", "--spec", str(spec_file), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_new_endpoint_name_is_flagged_as_downtime(tmp_path: Path, capsys) -> None:
    spec_file = committed_repo(tmp_path)
    spec_file.write_text(spec_file.read_text().replace("team: rc", "team: ra"))
    assert main(["render", "--spec", str(spec_file)]) == 0  # the team names resources, not artifacts
    _, out, _ = _diff(spec_file, capsys, "--against", "HEAD")
    assert "dev: team rc -> ra\n" in out and "staging: team rc -> ra\n" in out
    assert out.count("  WARNING: the endpoint is deleted and recreated: it is unavailable meanwhile") == 2
    assert "    -/+ aws_sagemaker_endpoint.endpoint\n          name: rc-project-a-fraud-detection-dev -> " \
           "ra-project-a-fraud-detection-dev" in out


def test_a_removed_environment_flags_its_deleted_endpoint(tmp_path: Path, capsys) -> None:
    spec_file = committed_repo(tmp_path)
    text = spec_file.read_text()
    spec_file.write_text(text[:text.index("  staging:")])
    git(tmp_path, "rm", "-q", "-r", "terraform/staging")
    _, out, _ = _diff(spec_file, capsys, "--against", "HEAD")
    assert "staging: environment removed" in out
    assert "  WARNING: the endpoint is deleted" in out
    assert "      - aws_sagemaker_endpoint.endpoint" in out


def test_a_new_environment_flags_its_new_endpoint(tmp_path: Path, capsys) -> None:
    spec_file = committed_repo(tmp_path)
    git(tmp_path, "rm", "-q", "-r", "terraform/staging")
    text = spec_file.read_text()
    spec_file.write_text(text[:text.index("  staging:")])
    git(tmp_path, "commit", "-q", "-am", "no staging yet")
    spec_file.write_text(text)
    assert main(["render", "--spec", str(spec_file), "--env", "staging"]) == 0
    _, out, _ = _diff(spec_file, capsys)
    assert "staging: new environment" in out and "  WARNING: a new endpoint is created" in out
    assert "  model sha256:" in out and "(new, promoted from dev)" in out


def test_the_default_ref_is_origin_main_when_it_exists(tmp_path: Path, capsys) -> None:
    spec_file = committed_repo(tmp_path)
    assert default_ref(tmp_path) == "HEAD"
    git(tmp_path, "update-ref", "refs/remotes/origin/main", "HEAD")
    assert default_ref(tmp_path) == "origin/main"
    code, out, _ = _diff(spec_file, capsys)
    assert code == 0 and out.startswith("fraudspec diff against origin/main (specs/fraud-detection.yaml)")
    assert "dev: no changes\nstaging: no changes\n" in out


def test_an_unknown_ref_is_a_user_error(tmp_path: Path, capsys) -> None:
    spec_file = committed_repo(tmp_path)
    code, out, _ = _diff(spec_file, capsys, "--against", "origin/nope")  # on stdout: the PR comment says why
    assert code == 1 and "unknown git ref 'origin/nope'" in out and "fetch-depth: 0" in out


def test_a_spec_that_did_not_load_at_the_ref_is_named(tmp_path: Path, capsys) -> None:
    spec_file = committed_repo(tmp_path)
    good = spec_file.read_text()
    spec_file.write_text(good.replace("memory_mb: 2048", "memory_mb: 1000"))
    git(tmp_path, "commit", "-q", "-am", "broken")
    spec_file.write_text(good)
    code, out, _ = _diff(spec_file, capsys, "--against", "HEAD")
    assert code == 1 and "the spec at HEAD does not load: " in out


def test_only_the_named_environment(tmp_path: Path, capsys) -> None:
    spec_file = committed_repo(tmp_path)
    SCENARIOS["memory-and-threshold"](spec_file)
    _, out, _ = _diff(spec_file, capsys, "--env", "staging")
    assert "staging: serverless memory 4096 -> 6144 MB" in out and "dev:" not in out
    code, out, _ = _diff(spec_file, capsys, "--env", "prod")
    assert code == 1 and "environment 'prod' is in neither version" in out


def test_outside_a_repository_is_a_user_error(tmp_path: Path, capsys) -> None:
    (tmp_path / "specs").mkdir()
    spec_file = tmp_path / "specs" / "x.yaml"
    spec_file.write_text("name: x\n")
    code, out, _ = _diff(spec_file, capsys)
    assert code == 1 and "is not inside a git repository" in out
