"""`make emulator` / `make emulator-stop` (fraudspec.deploy.emulator start|stop): the emulator runs in
the background, the spec's buckets exist in it, env.sh holds exactly the variables the tests use,
a second start is refused, and stop ends it."""

from __future__ import annotations

import os
import shlex
import socket
import time
from pathlib import Path

import boto3
import pytest

from fraudspec.core.errors import FraudspecError
from fraudspec.deploy import emulator
from fraudspec.deploy.provider_mirror import find_provider_mirror

pytestmark = pytest.mark.slow  # a moto server process

EXAMPLE = Path(__file__).resolve().parents[2] / "specs" / "fraud-detection.yaml"


def _exports(env_file: Path) -> dict[str, str]:
    lines = [line for line in env_file.read_text().splitlines() if line.startswith("export ")]
    return dict(shlex.split(line)[1].split("=", 1) for line in lines)


def test_start_writes_the_environment_and_stop_ends_the_emulator(tmp_path) -> None:
    if find_provider_mirror() is None:
        pytest.skip("EMULATOR COMMAND NOT RUN: no filesystem mirror of hashicorp/aws found")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    directory = tmp_path / "emulator"
    url = f"http://127.0.0.1:{port}"
    env_file = emulator.start(EXAMPLE, port, directory)
    pid = int((directory / "moto.pid").read_text())
    try:
        exports = _exports(env_file)
        assert {k: v for k, v in exports.items() if k != "TF_CLI_CONFIG_FILE"} == emulator.environment(url)
        assert "filesystem_mirror" in Path(exports["TF_CLI_CONFIG_FILE"]).read_text()
        assert "unset AWS_PROFILE AWS_SESSION_TOKEN" in env_file.read_text()
        s3 = boto3.client("s3", endpoint_url=url, region_name="ap-southeast-1", aws_access_key_id="testing",
                          aws_secret_access_key="testing")
        assert {b["Name"] for b in s3.list_buckets()["Buckets"]} == {"acme-sm-rc-project-a", "acme-sm-rc-staging"}
        with pytest.raises(FraudspecError, match="already runs"):
            emulator.start(EXAMPLE, port, directory)
    finally:
        assert emulator.stop(directory)
    deadline = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(pid) and not env_file.exists()
    assert emulator.stop(directory) is False, "stopping twice says none was running"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"  # a zombie has ended
