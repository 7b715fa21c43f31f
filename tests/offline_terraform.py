"""terraform with the hashicorp/aws provider from the machine's filesystem mirror, for the render and
deploy tests; where either is absent the calling test skips, loudly, saying what did not run."""

from __future__ import annotations

from pathlib import Path

import pytest

from fraudspec.core.errors import FraudspecError
from fraudspec.deploy.provider_mirror import find_provider_mirror, mirror_cli_config
from fraudspec.deploy.terraform import find_binary


def offline_cli_config(directory: Path, not_run: str) -> tuple[Path, Path]:
    """(terraform binary, CLI config pointing at the mirror); `not_run` says what a skip leaves untested."""
    try:
        binary = find_binary()
    except FraudspecError as error:
        pytest.skip(f"{not_run}: {error}")
    mirror = find_provider_mirror()
    if mirror is None:
        pytest.skip(f"{not_run}: no filesystem mirror of hashicorp/aws found (set FRAUDSPEC_PROVIDER_MIRROR)")
    return binary, mirror_cli_config(mirror, directory)


def offline_environment(cli_config: Path, plugin_cache: Path) -> dict[str, str]:
    """The variables that make `terraform init` install from the mirror through the session's plugin cache.

    A packed mirror (what `terraform providers mirror` writes) holds the provider zipped: without the
    cache every init unpacks ~700 MB (~2.5 s); with it, every init after the first links the unpacked
    copy. The tests' working directories have no lock file, and without one Terraform >= 1.4 installs
    again instead of trusting the cache: hence the second variable (it may only leave a lock file with
    this platform's hash, which no test keeps). The cache is not safe for concurrent inits; tests run
    one at a time.
    """
    return {"TF_CLI_CONFIG_FILE": str(cli_config), "TF_PLUGIN_CACHE_DIR": str(plugin_cache),
            "TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE": "true"}
