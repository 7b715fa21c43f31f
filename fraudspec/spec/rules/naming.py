"""AWS resource names derived from name/team/project/env fit AWS's limits; fraudspec's own tags stay its own."""

from __future__ import annotations

import re
from collections.abc import Iterable

from fraudspec.spec.names import CONFIG_PREFIX_MAX, ENDPOINT_NAME_MAX, ENDPOINT_NAME_PATTERN, resource_names
from fraudspec.spec.rules import Context, Issue, Rule


def _names(ctx: Context):
    return resource_names(ctx.data["team"], ctx.data["project"], ctx.data["name"], ctx.env)


def _endpoint_name_fits(ctx: Context) -> Iterable[Issue]:
    name = _names(ctx).endpoint
    if len(name) > ENDPOINT_NAME_MAX or not ENDPOINT_NAME_PATTERN.match(name):
        yield Issue(("name",), f"endpoint name '{name}' ({len(name)} chars) exceeds SageMaker's "
                    f"{ENDPOINT_NAME_MAX}-character limit or allowed characters",
                    "shorten name, team, project or the environment name")


def _config_prefix_fits(ctx: Context) -> Iterable[Issue]:
    prefix = _names(ctx).endpoint_config_prefix
    if len(prefix) > CONFIG_PREFIX_MAX:
        yield Issue(("name",), f"endpoint configuration name prefix '{prefix}' is {len(prefix)} characters; "
                    f"Terraform allows {CONFIG_PREFIX_MAX}",
                    f"shorten name, team, project or the environment name by {len(prefix) - CONFIG_PREFIX_MAX}")


RESERVED_TAGS = ("Team", "Project", "Model", "Environment", "Version")


def _reserved_tags_untouched(ctx: Context) -> Iterable[Issue]:
    for path, tags in ((("tags",), ctx.data["tags"]), (ctx.env_path + ("tags",), ctx.environment["tags"])):
        for key in tags:
            if key in RESERVED_TAGS:
                yield Issue(path + (key,), f"tag '{key}' is set by fraudspec on every resource",
                            f"remove it; fraudspec derives {key} from the spec "
                            "(name, team, project, env, model digest)")


# AWS's tag limits (the same for every service fraudspec tags): fraudspec's own tags count against the 50.
MAX_TAGS = 50
TAG_KEY_MAX, TAG_VALUE_MAX = 128, 256
_TAG_TEXT = re.compile(r"^[\w\s.:/=+\-@]*$")


def _tags_fit_aws(ctx: Context) -> Iterable[Issue]:
    base, env = ctx.data["tags"], ctx.environment["tags"]
    own = {**base, **env}
    room = MAX_TAGS - len(RESERVED_TAGS)
    if len(own) > room:
        yield Issue(ctx.env_path + ("tags",) if env else ("tags",),
                    f"{len(own)} tags: AWS allows {MAX_TAGS} per resource and fraudspec sets {len(RESERVED_TAGS)}",
                    f"keep at most {room} of your own tags")
    for path, tags in ((("tags",), base), (ctx.env_path + ("tags",), env)):
        for key, value in tags.items():
            problem = _tag_problem(str(key), str(value))
            if problem:
                yield Issue(path + (key,), f"tag {str(key)[:40]!r}: {problem}",
                            "tag keys are 1-128 and values 0-256 letters, digits, spaces and _ . : / = + - @")


def _tag_problem(key: str, value: str) -> str | None:
    if key.lower().startswith("aws:"):
        return "the aws: prefix is reserved for AWS"
    if not 1 <= len(key) <= TAG_KEY_MAX or len(value) > TAG_VALUE_MAX:
        return f"keys are 1-{TAG_KEY_MAX} characters and values at most {TAG_VALUE_MAX}"
    if not (_TAG_TEXT.match(key) and _TAG_TEXT.match(value)):
        return "has a character AWS does not allow in tags"
    return None


RULES = (
    Rule("FS301", "the endpoint name fits SageMaker's limit and pattern", _endpoint_name_fits),
    Rule("FS302", "the endpoint configuration name prefix fits 37 characters", _config_prefix_fits),
    Rule("FS303", "name, team and project are lowercase words with hyphens"),
    Rule("FS304", "tags do not override fraudspec's Team, Project, Model, Environment and Version",
         _reserved_tags_untouched),
    Rule("FS307", "tags fit AWS's limits: at most 45 of your own, no aws: prefix, key and value lengths and characters",
         _tags_fit_aws),
)
