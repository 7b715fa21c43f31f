"""The SageMaker-owned container images fraudspec deploys, resolved offline for every region.

Why a snapshot instead of the `aws_sagemaker_prebuilt_ecr_image` data source: the literal image
URI then appears in the committed `terraform/<env>/fraudspec.tf.json`, so a reviewer sees which
image AWS will run (and an image change shows up as a diff), and render, goldens and the schema
check need no provider. The table comes from the `sagemaker-core` package
(`image_uri_config/*.json`, the same data `sagemaker.core.image_uris.retrieve` reads);
`python -m tools.image_snapshot` regenerates it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fraudspec.core.errors import FraudspecError

SNAPSHOT = Path(__file__).with_name("images.json")
# The scikit-learn serving container version. The model artifact carries its own portable
# predictor (numpy only), so this pins the serving stack, not the training library.
SKLEARN_VERSION = "1.2-1"


@dataclass(frozen=True)
class Image:
    account: str
    region: str
    repository: str
    tag: str | None

    @property
    def uri(self) -> str:
        suffix = f":{self.tag}" if self.tag else ""
        return f"{self.account}.dkr.ecr.{self.region}.{dns_suffix(self.region)}/{self.repository}{suffix}"

    @property
    def repository_arn(self) -> str:
        return f"arn:{partition(self.region)}:ecr:{self.region}:{self.account}:repository/{self.repository}"


def partition(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def dns_suffix(region: str) -> str:
    return "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"


def sklearn_image(region: str) -> Image:
    return _image("sklearn", region)


def model_monitor_image(region: str) -> Image:
    return _image("model_monitor", region)


def _image(kind: str, region: str) -> Image:
    table = _snapshot()[kind]
    account = table["registries"].get(region)
    if account is None:
        raise FraudspecError(f"no SageMaker {table['repository']} image is published in region {region}",
                             hint=f"regions with one: {', '.join(sorted(table['registries']))}")
    return Image(account, region, table["repository"], table["tag"])


@lru_cache(maxsize=1)
def _snapshot() -> dict:
    return json.loads(SNAPSHOT.read_text())
