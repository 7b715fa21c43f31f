"""Environment rules: what an aws environment needs, known regions, state backends."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from fraudspec.spec import aws_lists
from fraudspec.spec.rules import Context, Issue, Rule


def _aws_has_region_and_bucket(ctx: Context) -> Iterable[Issue]:
    env = ctx.environment
    if env["target"] != "aws":
        return
    for key in ("region", "bucket"):
        if not env.get(key):
            yield Issue(ctx.env_path, f"aws environment '{ctx.env}' has no {key}",
                        f"add `{key}:` under environments.{ctx.env}")


def _known_region(ctx: Context) -> Iterable[Issue]:
    regions = aws_lists.load()["regions"]
    env = ctx.environment
    candidates = [(ctx.env_path + ("region",), env.get("region")),
                  (ctx.env_path + ("state", "region"), env["state"].get("region"))]
    for path, region in candidates:
        if region is not None and region not in regions:
            close = difflib.get_close_matches(region, regions, n=2)
            hint = f"did you mean {' or '.join(close)}?" if close else "use a region code such as us-east-1"
            yield Issue(path, f"unknown AWS region '{region}'", hint)


def _s3_state_has_bucket(ctx: Context) -> Iterable[Issue]:
    state = ctx.environment["state"]
    if state["backend"] == "s3" and not state.get("bucket"):
        yield Issue(ctx.env_path + ("state",), "an s3 state backend needs a bucket",
                    "add `bucket:` under state (a bucket that holds Terraform state)")


RULES = (
    Rule("FS401", "regions are known AWS regions", _known_region),
    Rule("FS402", "account ids are 12 digits"),
    Rule("FS403", "aws environments have a region and a bucket", _aws_has_region_and_bucket),
    Rule("FS404", "bucket names are valid S3 bucket names"),
    Rule("FS405", "the execution role is an IAM role ARN or `create`"),
    Rule("FS406", "an s3 state backend names its bucket", _s3_state_has_bucket),
)
