"""Fixtures for the render tests: a terraform + provider mirror for offline validation."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from fraudspec.deploy.terraform import Terraform, find_binary
from fraudspec.errors import FraudspecError
from fraudspec.render.schema_snapshot import find_provider_mirror, mirror_cli_config


@dataclass(frozen=True)
class OfflineTerraform:
    binary: Path
    environ: dict[str, str]

    def validate(self, source: Path, workdir: Path) -> dict:
        """`init -backend=false` + `validate` on a copy of `source`'s *.tf.json files."""
        workdir.mkdir(parents=True)
        for path in source.glob("*.tf.json"):
            shutil.copyfile(path, workdir / path.name)
        terraform = Terraform(self.binary, workdir, environ=self.environ)
        terraform.init(backend=False)
        return terraform.validate()


@pytest.fixture(scope="session")
def offline_terraform(tmp_path_factory: pytest.TempPathFactory) -> OfflineTerraform:
    try:
        binary = find_binary()
    except FraudspecError as error:
        pytest.skip(f"NOT VALIDATED WITH TERRAFORM: {error} (the schema-snapshot test still runs)")
    mirror = find_provider_mirror()
    if mirror is None:
        pytest.skip("NOT VALIDATED WITH TERRAFORM: no filesystem mirror of hashicorp/aws found "
                    "(set FRAUDSPEC_PROVIDER_MIRROR); the schema-snapshot test still runs")
    config = mirror_cli_config(mirror, tmp_path_factory.mktemp("terraform-cli"))
    return OfflineTerraform(binary, {**os.environ, "TF_CLI_CONFIG_FILE": str(config)})
