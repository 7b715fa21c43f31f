"""What one environment's Terraform names beyond `spec.names`: its bucket's S3 URIs, and tags.

Every AWS name derived from team/project/name/env is defined in fraudspec.spec.names; render adds
only what depends on the render inputs (the environment's bucket, the artifacts' digest).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from fraudspec.render.artifacts import Artifacts, require_bucket
from fraudspec.spec.model import Spec
from fraudspec.spec.names import ResourceNames


@dataclass(frozen=True)
class Names(ResourceNames):
    """`spec.names`, plus the bucket they live in and the spec's variant (a dimension of its metrics; the
    champion's for the endpoint's spec, a challenger's for its view)."""

    bucket: str
    variant: str

    def s3_uri(self, prefix: str) -> str:
        return f"s3://{self.bucket}/{prefix}"


def names_for(spec: Spec) -> Names:
    names = spec.names
    return Names(base=names.base, root=names.root, bucket=require_bucket(spec), variant=spec.variant.name)


def default_tags(spec: Spec, artifacts: Artifacts) -> Mapping[str, str]:
    """The provider's default tags: the spec's own tags, then fraudspec's five (which win)."""
    tags = {**spec.tags, **spec.environment.tags}
    tags.update(
        Team=spec.team,
        Project=spec.project,
        Model=spec.name,
        Environment=spec.environment.name,
        Version=artifacts.model.short_digest,
    )
    return {key: str(tags[key]) for key in sorted(tags)}
