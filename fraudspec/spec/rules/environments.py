"""Environment rules: what an aws environment needs, known regions, state backends."""

from __future__ import annotations

import difflib
import re
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


_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_IP_ADDRESS = re.compile(r"^\d+\.\d+\.\d+\.\d+$")
# S3's general-purpose bucket naming rules beyond the character set.
_RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
_RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")


def bucket_problem(name: str) -> str | None:
    """Why `name` is not a valid S3 bucket name, else None."""
    if not _BUCKET.match(name):
        return "S3 bucket names are 3-63 lowercase letters, digits, dots and hyphens, starting and ending " \
               "with a letter or digit"
    if ".." in name:
        return "S3 bucket names have no two adjacent dots"
    if _IP_ADDRESS.match(name):
        return "S3 bucket names are not IP addresses"
    if name.startswith(_RESERVED_PREFIXES) or name.endswith(_RESERVED_SUFFIXES):
        return "S3 reserves this prefix or suffix"
    return None


def _valid_buckets(ctx: Context) -> Iterable[Issue]:
    env = ctx.environment
    for path, name in ((ctx.env_path + ("bucket",), env.get("bucket")),
                       (ctx.env_path + ("state", "bucket"), env["state"].get("bucket"))):
        if name is not None and (problem := bucket_problem(name)):
            yield Issue(path, f"bucket '{name}': {problem}", "see S3's bucket naming rules")


RULES = (
    Rule("FS401", "regions are known AWS regions", _known_region),
    Rule("FS402", "account ids are 12 digits"),
    Rule("FS403", "aws environments have a region and a bucket", _aws_has_region_and_bucket),
    Rule("FS404", "bucket names are valid S3 bucket names", _valid_buckets),
    Rule("FS405", "the execution role is an IAM role ARN or `create`"),
    Rule("FS406", "an s3 state backend names its bucket", _s3_state_has_bucket),
)
