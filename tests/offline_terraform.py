"""terraform with the hashicorp/aws provider from the machine's filesystem mirror, for the render and
deploy tests; where either is absent the calling test skips, loudly, saying what did not run."""

from __future__ import annotations

from pathlib import Path

import pytest

from fraudspec.deploy.terraform import find_binary
from fraudspec.core.errors import FraudspecError
from tools.schema_snapshot import find_provider_mirror, mirror_cli_config


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
