"""`fraudspec diff --format json` (a golden, from the same comparison as the text and markdown goldens),
and an invalid spec's findings on stdout in every format, so a pull-request comment is never empty."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from scenarios import GOLDEN, SCENARIOS, committed_repo

from fraudspec.cli.main import main

pytestmark = pytest.mark.slow  # git repositories, rendered Terraform


def test_diff_json_matches_its_golden(tmp_path: Path, capsys) -> None:
    spec_file = committed_repo(tmp_path)
    SCENARIOS["memory-and-threshold"](spec_file)
    assert main(["diff", "--spec", str(spec_file), "--against", "HEAD", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    staging = next(env for env in document["environments"] if env["environment"] == "staging")
    assert [change["text"] for change in staging["spec"]] == ["serverless memory 4096 -> 6144 MB",
                                                             "model latency alarm 1000 -> 500 ms"]
    assert staging["spec"][0]["before"] == 4096 and staging["spec"][0]["unit"] == "MB"
    # the cost line's numbers: more memory costs more
    assert staging["cost"]["after"] > staging["cost"]["before"] > 0 and "a month" in staging["cost"]["text"]
    text = json.dumps(document, indent=2) + "\n"
    path = GOLDEN / "memory-and-threshold.json"
    if os.environ.get("FRAUDSPEC_UPDATE_GOLDENS"):
        path.write_text(text)
    assert text == path.read_text(), "FRAUDSPEC_UPDATE_GOLDENS=1 rewrites tests/review/golden/*.json"


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_an_invalid_spec_prints_its_findings_on_stdout(fmt: str, tmp_path: Path, capsys) -> None:
    spec_file = committed_repo(tmp_path)
    spec_file.write_text(spec_file.read_text().replace("memory_mb: 2048", "memory_mb: 1000"))
    assert main(["diff", "--spec", str(spec_file), "--against", "HEAD", "--format", fmt]) == 1
    out = capsys.readouterr().out
    if fmt == "json":
        document = json.loads(out)
        assert document["valid"] is False and document["findings"][0]["rule"] == "FS101"
        return
    assert "FS101" in out and "memory_mb is 1000" in out and "othing was compared" in out
    if fmt == "markdown":
        assert out.startswith("<!-- fraudspec-diff -->\n### fraudspec diff against `HEAD`")
