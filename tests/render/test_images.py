"""The offline image table, resolved per region (tests/tools/test_image_snapshot.py: how it is regenerated)."""

from __future__ import annotations

import pytest

from fraudspec.core.errors import FraudspecError
from fraudspec.render import images


def test_committed_snapshot_resolves_known_uris() -> None:
    assert images.sklearn_image("ap-southeast-1").uri == \
        "121021644041.dkr.ecr.ap-southeast-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3"
    assert images.sklearn_image("cn-north-1").uri.endswith(".dkr.ecr.cn-north-1.amazonaws.com.cn/"
                                                           "sagemaker-scikit-learn:1.2-1-cpu-py3")
    assert images.sklearn_image("us-gov-west-1").repository_arn.startswith("arn:aws-us-gov:ecr:us-gov-west-1:")
    with pytest.raises(FraudspecError, match="no SageMaker sagemaker-scikit-learn image"):
        images.sklearn_image("mars-east-1")
