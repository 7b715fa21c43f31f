"""AWS resource names derived from name/team/project/env fit AWS's limits; fraudspec's own tags stay its own."""

from __future__ import annotations

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


RULES = (
    Rule("FS301", "the endpoint name fits SageMaker's limit and pattern", _endpoint_name_fits),
    Rule("FS302", "the endpoint configuration name prefix fits 37 characters", _config_prefix_fits),
    Rule("FS303", "name, team and project are lowercase words with hyphens"),
    Rule("FS304", "tags do not override fraudspec's Team, Project, Model, Environment and Version",
         _reserved_tags_untouched),
)
