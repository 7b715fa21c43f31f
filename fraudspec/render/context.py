"""What every resource module renders from: the spec, its artifacts, names, and the config being built."""

from __future__ import annotations

from dataclasses import dataclass

from fraudspec.core.errors import FraudspecError
from fraudspec.render import images
from fraudspec.render.artifacts import Artifacts
from fraudspec.render.document import Config, Expr, Template, template
from fraudspec.render.naming import Names
from fraudspec.spec.model import Spec


@dataclass(frozen=True)
class Context:
    spec: Spec
    artifacts: Artifacts
    names: Names
    config: Config

    @property
    def region(self) -> str:
        if not self.spec.environment.region:
            raise FraudspecError(f"environment '{self.spec.environment.name}' has no region",
                                 hint="set environments.<env>.region, e.g. ap-southeast-1")
        return self.spec.environment.region

    @property
    def partition(self) -> str:
        return images.partition(self.region)

    @property
    def account(self) -> str | Expr:
        """The spec's account id, else the caller's (read by Terraform at plan time)."""
        if self.spec.environment.account:
            return self.spec.environment.account
        return Expr("data.aws_caller_identity.current.account_id")

    def arn(self, service: str, resource: str) -> str | Template:
        """A regional ARN in this environment's account."""
        account = self.account
        if isinstance(account, str):
            return f"arn:{self.partition}:{service}:{self.region}:{account}:{resource}"
        return template(f"arn:{self.partition}:{service}:{self.region}:", account, f":{resource}")

    def s3_arn(self, key_pattern: str) -> str:
        return f"arn:{self.partition}:s3:::{self.names.bucket}/{key_pattern}"

    @property
    def bucket_arn(self) -> str:
        return f"arn:{self.partition}:s3:::{self.names.bucket}"
