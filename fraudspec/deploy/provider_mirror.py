"""Where this machine keeps a filesystem mirror of hashicorp/aws, and a Terraform CLI configuration
that installs from it: `terraform init` works offline. Used by the AWS emulator, the provider-schema
snapshot and the tests."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from fraudspec.render import PROVIDER_SOURCE

PROVIDER = f"registry.terraform.io/{PROVIDER_SOURCE}"
ENV_MIRROR = "FRAUDSPEC_PROVIDER_MIRROR"
# Where a filesystem mirror of hashicorp/aws usually lives (Terraform's implied mirror
# directories, and this project's CI image).
MIRROR_CANDIDATES = ("~/.terraform.d/plugins", "~/.local/share/terraform/plugins",
                     "/usr/local/share/terraform/plugins", "/usr/share/terraform/plugins", "/opt/tf-plugins")


def find_provider_mirror(environ: Mapping[str, str] = os.environ) -> Path | None:
    """A directory holding registry.terraform.io/hashicorp/aws, or None."""
    candidates = [environ[ENV_MIRROR]] if environ.get(ENV_MIRROR) else list(MIRROR_CANDIDATES)
    for candidate in candidates:
        path = Path(candidate).expanduser()
        if (path / PROVIDER).is_dir():
            return path
    return None


def mirror_cli_config(mirror: Path, directory: Path) -> Path:
    """A Terraform CLI config that installs hashicorp/* from `mirror` only: offline init."""
    directory.mkdir(parents=True, exist_ok=True)
    config = directory / "terraform.rc"
    config.write_text(
        "provider_installation {\n"
        f'  filesystem_mirror {{\n    path    = "{mirror}"\n    include = ["registry.terraform.io/hashicorp/*"]\n  }}\n'
        '  direct {\n    exclude = ["registry.terraform.io/hashicorp/*"]\n  }\n'
        "}\n"
    )
    return config
