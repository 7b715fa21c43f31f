"""Terraform JSON values: literal text is escaped, expressions are not, output is deterministic."""

from __future__ import annotations

from pathlib import Path

from fraudspec.render.document import Bare, Config, Expr, content_name, dump, encode, template
from fraudspec.render.files import write


def test_literal_text_is_escaped_and_expressions_are_not() -> None:
    assert encode("cost ${x} and %{if}") == "cost $${x} and %%{if}"
    assert encode(Expr("aws_sns_topic.alerts.arn")) == "${aws_sns_topic.alerts.arn}"
    assert encode(template("endpoint/", Expr("aws_sagemaker_endpoint.endpoint.name"), "/${v}")) == \
        "endpoint/${aws_sagemaker_endpoint.endpoint.name}/$${v}"
    assert encode({"${k}": [Bare("aws_iam_role_policy.model"), 1, True, None]}) == \
        {"$${k}": ["aws_iam_role_policy.model", 1, True, None]}


def test_dump_is_sorted_and_stable() -> None:
    assert dump({"b": 1, "a": {"d": 2, "c": 3}}) == '{\n  "a": {\n    "c": 3,\n    "d": 2\n  },\n  "b": 1\n}\n'


def test_config_refuses_a_resource_twice_and_drops_unset_arguments() -> None:
    config = Config()
    topic = config.resource("aws_sns_topic", "alerts", {"name": "t", "kms_master_key_id": None})
    assert topic.attr("arn") == Expr("aws_sns_topic.alerts.arn")
    assert config.to_json() == {"resource": {"aws_sns_topic": {"alerts": {"name": "t"}}}}
    try:
        config.resource("aws_sns_topic", "alerts", {})
    except ValueError as error:
        assert "rendered twice" in str(error)
    else:
        raise AssertionError("a duplicate resource was accepted")


def test_content_names_follow_the_content() -> None:
    first = content_name("p-", {"image": "a"})
    assert first.startswith("p-") and len(first) == 12
    assert content_name("p-", {"image": "a"}) == first
    assert content_name("p-", {"image": "b"}) != first


def test_write_touches_only_changed_owned_files(tmp_path: Path) -> None:
    (tmp_path / "mine_override.tf").write_text("# the user's\n")
    assert write(tmp_path, {"a.tf.json": "1\n", "b.tf.json": "2\n"}) == ["a.tf.json", "b.tf.json"]
    assert write(tmp_path, {"a.tf.json": "1\n", "b.tf.json": "3\n"}) == ["b.tf.json"]
    assert (tmp_path / "b.tf.json").read_text() == "3\n"
    assert (tmp_path / "mine_override.tf").read_text() == "# the user's\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.tf.json", "b.tf.json", "mine_override.tf"]
    assert oct((tmp_path / "a.tf.json").stat().st_mode & 0o777) == "0o644"
