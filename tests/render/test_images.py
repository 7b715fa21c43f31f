"""The offline image table: regenerated from sagemaker-core's JSON, resolved per region."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from fraudspec.core.errors import FraudspecError
from fraudspec.render import images


def test_snapshot_from_a_sagemaker_core_wheel(tmp_path: Path) -> None:
    wheel = tmp_path / "sagemaker_core-9.9.9-py3-none-any.whl"
    serving = {"processors": ["cpu"], "py_versions": ["py3"], "repository": "sagemaker-scikit-learn",
               "registries": {"eu-west-1": "141502667606"}}
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("sagemaker/core/image_uri_config/sklearn.json", json.dumps(
            {"inference": {"versions": {images.SKLEARN_VERSION: serving, "0.20.0": {}}}}))
        archive.writestr("sagemaker/core/image_uri_config/model-monitor.json", json.dumps(
            {"versions": {"": {"repository": "sagemaker-model-monitor-analyzer",
                               "registries": {"eu-west-1": "468650794304"}}}}))
    table = images.snapshot_from_wheel(wheel)
    assert table["sklearn"] == {"repository": "sagemaker-scikit-learn", "tag": f"{images.SKLEARN_VERSION}-cpu-py3",
                                "registries": {"eu-west-1": "141502667606"}}
    assert table["model_monitor"]["tag"] is None and table["source"] == wheel.name


def test_committed_snapshot_resolves_known_uris() -> None:
    assert images.sklearn_image("ap-southeast-1").uri == \
        "121021644041.dkr.ecr.ap-southeast-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3"
    assert images.sklearn_image("cn-north-1").uri.endswith(".dkr.ecr.cn-north-1.amazonaws.com.cn/"
                                                           "sagemaker-scikit-learn:1.2-1-cpu-py3")
    assert images.sklearn_image("us-gov-west-1").repository_arn.startswith("arn:aws-us-gov:ecr:us-gov-west-1:")
    with pytest.raises(FraudspecError, match="no SageMaker sagemaker-scikit-learn image"):
        images.sklearn_image("mars-east-1")
