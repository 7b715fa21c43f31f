"""The plan summary, from `terraform show -json` documents."""

from __future__ import annotations

from fraudspec.deploy.plan_summary import summarize


def _change(address: str, actions: list[str], replace_paths: list | None = None, mode: str = "managed") -> dict:
    kind = address.split(".")[-2] if mode == "data" else address.split(".")[0]
    change = {"actions": actions}
    if replace_paths:
        change["replace_paths"] = replace_paths
    return {"address": address, "mode": mode, "type": kind, "change": change}


def test_counts_and_lines_per_action() -> None:
    summary = summarize({"resource_changes": [
        _change("aws_sns_topic.alerts", ["create"]),
        _change("aws_lambda_function.monitor", ["update"]),
        _change("aws_sagemaker_model.model", ["create", "delete"], [["primary_container", 0, "image"]]),
        _change("aws_cloudwatch_metric_alarm.cpu", ["delete"]),
        _change("aws_iam_role.model", ["no-op"]),
        _change("data.aws_iam_policy_document.model", ["read"], mode="data"),
    ]})
    assert [(c.address, c.action) for c in summary.changes] == [
        ("aws_sns_topic.alerts", "create"), ("aws_lambda_function.monitor", "update"),
        ("aws_sagemaker_model.model", "replace"), ("aws_cloudwatch_metric_alarm.cpu", "delete")]
    text = summary.render()
    assert text.splitlines()[0] == "Plan: 1 to create, 1 to update, 1 to replace, 1 to delete."
    assert "-/+ aws_sagemaker_model.model  (forced by primary_container.0.image)" in text
    assert "WARNING" not in text


def test_a_replaced_endpoint_is_called_out() -> None:
    summary = summarize({"resource_changes": [_change("aws_sagemaker_endpoint.endpoint", ["delete", "create"],
                                                      [["name"]])]})
    assert summary.endpoint_action() == "replace"
    assert "WARNING: the endpoint itself will be deleted and recreated" in summary.render()


def test_a_new_endpoint_configuration_is_an_in_place_update() -> None:
    summary = summarize({"resource_changes": [
        _change("aws_sagemaker_endpoint_configuration.endpoint", ["create", "delete"]),
        _change("aws_sagemaker_endpoint.endpoint", ["update"]),
    ]})
    assert "in place (no downtime)" in summary.render()


def test_no_changes() -> None:
    summary = summarize({"resource_changes": [_change("aws_sns_topic.alerts", ["no-op"])]})
    assert not summary.has_changes
    assert summary.render().startswith("No changes")
