"""The SageMaker-owned container images fraudspec deploys, resolved offline for every region.

Why a snapshot instead of the `aws_sagemaker_prebuilt_ecr_image` data source: the literal image
URI then appears in the committed `terraform/<env>/fraudspec.tf.json`, so a reviewer sees which
image AWS will run (and an image change shows up as a diff), and render, goldens and the schema
check need no provider. The table comes from the `sagemaker-core` package
(`image_uri_config/*.json`, the same data `sagemaker.core.image_uris.retrieve` reads); regenerate
it with `python -m fraudspec.render.images` (downloads the wheel with pip; sagemaker-core is not
a dependency of fraudspec).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fraudspec.core.errors import FraudspecError

SNAPSHOT = Path(__file__).with_name("images.json")
# The scikit-learn serving container version. The model artifact carries its own portable
# predictor (numpy only), so this pins the serving stack, not the training library.
SKLEARN_VERSION = "1.2-1"
_CONFIG_DIR = "sagemaker/core/image_uri_config"


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


def snapshot_from_wheel(wheel: Path) -> dict:
    """The table fraudspec keeps, extracted from a sagemaker-core wheel."""
    with zipfile.ZipFile(wheel) as archive:
        sklearn = json.loads(archive.read(f"{_CONFIG_DIR}/sklearn.json"))
        monitor = json.loads(archive.read(f"{_CONFIG_DIR}/model-monitor.json"))
    serving = sklearn["inference"]["versions"][SKLEARN_VERSION]
    (processor,), (py_version,) = serving["processors"], serving["py_versions"]
    analyzer = monitor["versions"][""]
    return {
        "source": wheel.name,
        "sklearn": {
            "repository": serving["repository"],
            "tag": f"{SKLEARN_VERSION}-{processor}-{py_version}",
            "registries": serving["registries"],
        },
        # The SDK pulls the analyzer without a tag, i.e. `latest`.
        "model_monitor": {"repository": analyzer["repository"], "tag": None, "registries": analyzer["registries"]},
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                        "--dest", tmp, "sagemaker-core"], check=True)
        (wheel,) = Path(tmp).glob("sagemaker_core-*.whl")
        table = snapshot_from_wheel(wheel)
    partial = SNAPSHOT.with_suffix(".tmp")
    partial.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n")
    os.replace(partial, SNAPSHOT)
    print(f"wrote {SNAPSHOT} from {table['source']}")


if __name__ == "__main__":
    main()
