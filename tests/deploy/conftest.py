"""Fixtures for the deploy tests: a moto server, terraform with the offline provider, the CLI."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import boto3
import pytest
from deploy_support import BUCKET, REGION
from moto import mock_aws

from fraudspec.cli import main as cli_main
from fraudspec.deploy import emulator
from tests.offline_terraform import offline_cli_config, offline_environment


@pytest.fixture
def moto_server() -> Iterator[str]:
    """A fresh AWS emulator (the moto server `make emulator` runs) on 127.0.0.1; its URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = emulator.launch(port, subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        emulator.wait_ready(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def aws_env(moto_server: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """boto3, the Terraform provider and fraudspec talk to the moto server: the variables `make emulator`
    writes (fraudspec.deploy.emulator.environment, one definition for both)."""
    for name, value in {**emulator.environment(moto_server), "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    for name in emulator.UNSET:
        monkeypatch.delenv(name, raising=False)
    return moto_server


@pytest.fixture
def offline_terraform(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch,
                      terraform_plugin_cache: Path) -> Path:
    """TF_CLI_CONFIG_FILE points at the provider's filesystem mirror, through the session's plugin
    cache; skips loudly without a mirror."""
    binary, config = offline_cli_config(tmp_path_factory.mktemp("tf-cli"), "NOT RUN AGAINST THE EMULATOR")
    for name, value in offline_environment(config, terraform_plugin_cache).items():
        monkeypatch.setenv(name, value)
    return binary


@pytest.fixture
def cli() -> Callable[[Sequence[str]], int]:
    """`fraudspec ARGS` in-process, through the real entry point."""
    return lambda argv: cli_main.main(list(argv))


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple]:
    """moto S3 (with the monitoring bucket) and CloudWatch, in-process: (s3, cloudwatch) clients."""
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": REGION}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket=BUCKET)
        yield s3, boto3.client("cloudwatch", region_name=REGION)
