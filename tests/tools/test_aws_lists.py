"""The AWS lists snapshot the rules check against agrees with the installed botocore."""

from __future__ import annotations

import json

import pytest

from fraudspec.core import jsonfile
from fraudspec.spec import aws_lists
from tools.aws_lists import from_botocore


def test_aws_lists_snapshot_matches_installed_botocore() -> None:
    pytest.importorskip("botocore")
    fresh, snapshot = from_botocore(), aws_lists.load()
    # Newer botocore releases add types; the snapshot must never hold one AWS does not list.
    assert set(snapshot["instance_types"]) <= set(fresh["instance_types"]), (
        "run `python -m tools.aws_lists` to refresh fraudspec/spec/aws_lists.json")
    assert set(snapshot["regions"]) <= set(fresh["regions"])
    assert "ml.m5.large" in snapshot["instance_types"] and "ap-southeast-1" in snapshot["regions"]


def test_the_snapshot_is_written_like_every_json_file() -> None:
    text = aws_lists.SNAPSHOT.read_bytes()
    assert text == jsonfile.dumps(json.loads(text), sort_keys=True), "regenerate it with `python -m tools.aws_lists`"
