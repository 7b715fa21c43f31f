"""Alarm rules: notification targets are well formed and carry no secrets."""

from __future__ import annotations

import re
from collections.abc import Iterable

from fraudspec.spec.model import ENV_REFERENCE
from fraudspec.spec.rules import Context, Issue, Rule

_SECRET_HINTS = re.compile(
    r"(//[^/@]+@)|([?&](token|key|secret|sig|signature|password|auth)[^=]*=)|(hooks\.slack\.com)", re.IGNORECASE)


def _webhook_is_env_reference(ctx: Context) -> Iterable[Issue]:
    for index, target in enumerate(ctx.data["alarms"]["notify"]):
        url = target.get("webhook")
        if url is None or ENV_REFERENCE.match(url):
            continue
        carries = " and carries credentials or a token" if _SECRET_HINTS.search(url) else ""
        yield Issue(("alarms", "notify", index, "webhook"),
                    f"webhook URL is written inline{carries}; webhooks are given only as environment references",
                    "write `webhook: ${env:FRAUD_WEBHOOK_URL}` and export FRAUD_WEBHOOK_URL where fraudspec runs")


RULES = (
    Rule("FS501", "email addresses are well formed"),
    Rule("FS502", "webhook URLs are ${env:NAME} references, never inline secrets", _webhook_is_env_reference),
    Rule("FS503", "SNS topic ARNs are well formed"),
)
