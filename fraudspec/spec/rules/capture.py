"""Capture rules: Firehose capture is the serverless handler's."""

from __future__ import annotations

from collections.abc import Iterable

from fraudspec.spec.rules import Context, Issue, Rule


def _firehose_is_for_serverless(ctx: Context) -> Iterable[Issue]:
    if ctx.data["capture"].get("firehose") is not None and ctx.data["endpoint"].get("serverless") is None:
        yield Issue(("capture", "firehose"),
                    "capture.firehose applies to serverless endpoints: a realtime endpoint's capture is "
                    "SageMaker's own, written to S3 in buffered objects already",
                    "remove capture.firehose, or use `firehose: null` in this environment's overrides")


RULES = (
    Rule("FS251", "Firehose capture is for serverless endpoints", _firehose_is_for_serverless),
)
