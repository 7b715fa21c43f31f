"""fraudspec's own KMS key: encrypts the alerts topic and the monitoring job's logs.

A customer-managed key is required: CloudWatch alarms cannot publish to a topic encrypted with
the AWS-managed `alias/aws/sns` key, whose policy cannot grant cloudwatch.amazonaws.com.
"""

from __future__ import annotations

from typing import Any

from fraudspec.render import iam
from fraudspec.render.context import Context
from fraudspec.render.document import Expr, Template, template
from fraudspec.render.monitoring import monitor_log_groups

DELETION_WINDOW_DAYS = 7


def render_key(ctx: Context) -> Expr:
    statements: list[dict[str, Any]] = [
        # AWS's default key policy: the account's IAM policies decide who administers the key.
        {"sid": "AccountAdministers", "effect": "Allow", "actions": ["kms:*"], "resources": ["*"],
         "principals": [{"type": "AWS", "identifiers": [_account_root(ctx)]}]},
        {"sid": "CloudWatchAlarmsPublish", "effect": "Allow", "actions": ["kms:Decrypt", "kms:GenerateDataKey*"],
         "resources": ["*"], "principals": [{"type": "Service", "identifiers": ["cloudwatch.amazonaws.com"]}]},
    ]
    monitor_logs = ctx.spec.monitoring.enabled and ctx.spec.monitoring.engine == "fraudspec"
    log_groups = list(monitor_log_groups(ctx)) if monitor_logs else []
    if ctx.spec.environment.idle_after_days is not None:
        log_groups.append(ctx.names.idle_log_group)  # the idle clean-up's executions (render.idle)
    if log_groups:
        statements.append({
            "sid": "MonitorLogs", "effect": "Allow", "resources": ["*"],
            "actions": ["kms:Decrypt*", "kms:Describe*", "kms:Encrypt*", "kms:GenerateDataKey*", "kms:ReEncrypt*"],
            "principals": [{"type": "Service", "identifiers": [f"logs.{ctx.region}.amazonaws.com"]}],
            "condition": [{"test": "ArnEquals", "variable": "kms:EncryptionContext:aws:logs:arn",
                           "values": [ctx.arn("logs", f"log-group:{group}") for group in log_groups]}],
        })
    key = ctx.config.resource("aws_kms_key", "fraudspec", {
        "description": f"fraudspec {ctx.names.base}: alerts topic and monitoring logs",
        "enable_key_rotation": True,
        "deletion_window_in_days": DELETION_WINDOW_DAYS,
        "policy": iam.policy_document(ctx, "key", statements).attr("json"),
    })
    ctx.config.resource("aws_kms_alias", "fraudspec", {"name": ctx.names.key_alias,
                                                       "target_key_id": key.attr("key_id")})
    return key


def _account_root(ctx: Context) -> str | Template:
    account = ctx.account
    if isinstance(account, str):
        return f"arn:{ctx.partition}:iam::{account}:root"
    return template(f"arn:{ctx.partition}:iam::", account, ":root")
