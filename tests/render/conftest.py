"""Fixtures for the render tests: a terraform + provider mirror for offline validation."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from fraudspec.deploy.terraform import Terraform
from tests.offline_terraform import offline_cli_config, offline_environment


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
def offline_terraform(tmp_path_factory: pytest.TempPathFactory, terraform_plugin_cache: Path) -> OfflineTerraform:
    binary, config = offline_cli_config(tmp_path_factory.mktemp("terraform-cli"),
                                        "NOT VALIDATED WITH TERRAFORM (the schema-snapshot test still runs)")
    return OfflineTerraform(binary, {**os.environ, **offline_environment(config, terraform_plugin_cache)})
