"""Against the AWS emulator, an environment whose Terraform state lives in S3 is refused up front,
with the reason, before any terraform runs."""

from __future__ import annotations

import pytest

from fraudspec.core.errors import FraudspecError
from fraudspec.deploy import aws, emulator
from tests.render.render_variants import SPECS, make_project


def test_the_emulator_refuses_an_s3_state_backend(tmp_path, monkeypatch) -> None:
    spec = make_project(tmp_path, SPECS / "realtime.yaml", "prod")  # state: {backend: s3}
    monkeypatch.setenv(emulator.ENV_EMULATOR, "http://127.0.0.1:9")
    with pytest.raises(FraudspecError, match="only the local state backend is supported"):
        aws.plan(spec, echo=lambda line: None)
