"""Shared fixtures. Tests never write outside their tmp_path (HOME is redirected)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("home")))


@pytest.fixture(scope="session")
def terraform_plugin_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One TF_PLUGIN_CACHE_DIR for the session: the provider is installed once, then linked by every
    `terraform init` (see tests/offline_terraform.py)."""
    return tmp_path_factory.mktemp("terraform-plugin-cache")
