"""The shipped price table: dated, sourced, and covering every region fraudspec accepts."""

from __future__ import annotations

import json

from fraudspec.cost.prices import PRICES_FILE
from tools import prices as tool


def test_the_table_says_where_and_when_its_prices_are_from() -> None:
    table = json.loads(PRICES_FILE.read_text())
    assert table["as_of"] and table["source"] and table["currency"] == "USD"
    assert set(table["pages"]) >= {"sagemaker", "s3", "firehose", "lambda", "cloudwatch", "kms"}
    assert all(url.startswith("https://aws.amazon.com/") for url in table["pages"].values())


def test_every_accepted_region_but_china_has_a_factor_and_every_entry_exists() -> None:
    assert tool.problems(json.loads(PRICES_FILE.read_text())) == []


def test_the_check_reports_what_is_missing() -> None:
    table = json.loads(PRICES_FILE.read_text())
    del table["regions"]["factors"]["eu-west-1"]
    table["sagemaker"]["instance_hour"]["families"]["ml.zz9"] = 1.0
    assert tool.problems(table) == ["region eu-west-1 has no factor", "family ml.zz9 has no hosting instance type"]


def test_the_cli_checker_exits_clean(capsys) -> None:
    assert tool.main([]) == 0
    assert "hosting instance types priced" in capsys.readouterr().out
