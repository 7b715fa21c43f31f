"""The shipped GitHub workflow and pre-commit config parse, and every fraudspec command line in
them is one the CLI registers and accepts."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from fraudspec.cli.main import build_parser
from fraudspec.cli.registry import COMMANDS
from fraudspec.review.report import MARKER

REPO = Path(__file__).resolve().parents[2]
WORKFLOW = REPO / ".github" / "workflows" / "fraudspec.yml"
PRE_COMMIT = REPO / ".pre-commit-config.yaml"
COMMAND = re.compile(r"(?:\.venv/bin/)?fraudspec (?P<args>[^>|;&\n]+)")
EXPRESSION = re.compile(r"\$\{\{[^}]*\}\}")


def _workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def _steps() -> list[dict]:
    return _workflow()["jobs"]["check"]["steps"]


def _hooks() -> list[dict]:
    return [hook for repo in yaml.safe_load(PRE_COMMIT.read_text())["repos"] for hook in repo["hooks"]]


def _command_lines() -> list[str]:
    texts = [step.get("run", "") for step in _steps()] + [hook["entry"] for hook in _hooks()]
    return [match["args"].strip() for text in texts for match in COMMAND.finditer(text)]


def test_the_workflow_runs_on_pull_requests_with_python_and_terraform() -> None:
    workflow = _workflow()
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as True
    uses = [step.get("uses", "") for step in _steps()]
    assert any(u.startswith("hashicorp/setup-terraform@") for u in uses)
    assert next(s for s in _steps() if s.get("uses", "").startswith("actions/setup-python@"))["with"] == \
        {"python-version": "3.11"}
    checkout = next(s for s in _steps() if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0, "diff needs the base branch"
    runs = [step.get("run", "") for step in _steps()]
    assert "make test" in runs and "make validate" in " ".join(runs)
    assert workflow["permissions"]["pull-requests"] == "write"


def test_the_workflow_posts_the_markdown_diff_and_updates_its_comment() -> None:
    diff = next(s for s in _steps() if "fraudspec diff" in s.get("run", ""))
    assert "--format markdown" in diff["run"] and '--against "origin/${{ github.base_ref }}"' in diff["run"]
    post = next(s for s in _steps() if s.get("uses", "").startswith("actions/github-script@"))
    assert MARKER in post["with"]["script"] and "updateComment" in post["with"]["script"]


def test_pre_commit_validates_and_checks_the_rendered_terraform() -> None:
    hooks = {hook["entry"]: hook for hook in _hooks()}
    assert set(hooks) == {".venv/bin/fraudspec validate", ".venv/bin/fraudspec render --check",
                          ".venv/bin/ruff check", ".venv/bin/mypy"}
    assert all(hook["language"] == "system" for hook in hooks.values())
    assert all(hooks[entry]["pass_filenames"] is False
               for entry in (".venv/bin/fraudspec validate", ".venv/bin/fraudspec render --check", ".venv/bin/mypy"))


def test_every_command_line_is_registered_and_parses() -> None:
    lines = _command_lines()
    assert {line.split()[0] for line in lines} == {"validate", "render", "diff"}
    registered = {command.name for command in COMMANDS}
    for line in lines:
        argv = shlex.split(EXPRESSION.sub("main", line))
        assert argv[0] in registered, f"`fraudspec {argv[0]}` is not in fraudspec/cli/registry.py"
        parser, _ = build_parser(argv)
        try:
            parser.parse_args(argv)
        except SystemExit as error:  # the CLI's parser exits 1 on an unknown flag
            pytest.fail(f"`fraudspec {line}` does not parse (exit {error.code})")


def test_make_targets_used_exist() -> None:
    makefile = (REPO / "Makefile").read_text()
    for target in ("validate", "test"):
        assert re.search(rf"^{target}:", makefile, re.MULTILINE), target
