"""`fraudspec cost`: the example's environments and the seeds' setup, as goldens (text and JSON)."""

from __future__ import annotations

import json

import pytest
from cases import CASES, GOLDEN, REPO, run_case

from fraudspec.cli.main import main


@pytest.mark.parametrize("name", sorted(CASES))
def test_output_matches_the_golden(name: str) -> None:
    assert run_case(name) == (GOLDEN / name).read_text(), "run tests/cost/update_goldens.py and review the diff"


def test_json_totals_are_the_sum_of_their_lines() -> None:
    document = json.loads(run_case("example.json"))
    assert list(document["environments"]) == ["dev", "staging"]  # every aws environment, in spec order
    for estimate in document["environments"].values():
        assert estimate["monthly_usd"] == pytest.approx(sum(line["monthly_usd"] for line in estimate["lines"]),
                                                        abs=0.01)
        assert all(line["formula"] and line["inputs"] for line in estimate["lines"])
    assert document["prices"]["as_of"] and document["prices"]["verified"] is False
    assert {warning["rule"] for warning in document["warnings"]} == {"FS911", "FS912"}


def test_a_local_environment_is_refused_with_a_reason(capsys, monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    assert main(["cost", "--env", "local"]) == 1
    assert "runs on this machine: AWS bills nothing" in capsys.readouterr().err


def test_an_unknown_environment_is_a_user_error(capsys, monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    assert main(["cost", "--env", "prod"]) == 1
    assert "FS007 unknown environment 'prod'" in capsys.readouterr().err


def test_every_json_key_is_documented() -> None:
    """docs/json-output.md names the cost document's keys, as it does every command's."""
    doc = (REPO / "docs" / "json-output.md").read_text()
    document = json.loads((GOLDEN / "example.json").read_text())
    line = document["environments"]["dev"]["lines"][0]
    keys = [*document, *document["prices"], *document["environments"]["dev"], *line]
    assert [key for key in keys if f"`{key}`" not in doc and f"{key}," not in doc and f"{key}}}" not in doc] == []


def test_the_readme_quotes_the_goldens() -> None:
    """README's cost section quotes the seeds' totals and the review's cost line: they must not go stale."""
    readme = (REPO / "README.md").read_text()
    seeds = run_case("seeds.txt")
    totals = [line.rsplit(": ", 1)[1].removesuffix(" a month") for line in seeds.splitlines() if "a month" in line
              and line.endswith(" a month") and not line.startswith(" ")]
    assert totals and all(f"**{total}**" in readme for total in totals), totals
    review = (REPO / "tests" / "review" / "golden" / "realtime-switch.txt").read_text()
    [line] = [line.strip().removeprefix("cost: ") for line in review.splitlines() if line.strip().startswith("cost:")]
    assert f"`{line}`" in readme
