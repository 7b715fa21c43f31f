"""The runner over a stand-in terraform binary: arguments, exit codes, variables and discovery."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from fraudspec.core.errors import FraudspecError
from fraudspec.deploy.terraform import Terraform, find_binary

# Records its argv and TF_VAR_ environment, then exits with $FAKE_EXIT (printing $FAKE_STDOUT).
FAKE = """#!/bin/sh
printf '%s\\n' "$@" > "$FAKE_LOG"
env | grep '^TF_VAR_' >> "$FAKE_LOG"
printf '%s' "$FAKE_STDOUT"
echo "some diagnostic" >&2
exit "$FAKE_EXIT"
"""


@pytest.fixture
def fake(tmp_path: Path):
    binary = tmp_path / "bin" / "terraform"
    binary.parent.mkdir()
    binary.write_text(FAKE)
    binary.chmod(binary.stat().st_mode | stat.S_IXUSR)
    log = tmp_path / "log"

    def make(exit_code: int = 0, stdout: str = "", variables: dict | None = None) -> Terraform:
        environ = {"PATH": "/usr/bin:/bin", "FAKE_LOG": str(log), "FAKE_EXIT": str(exit_code), "FAKE_STDOUT": stdout}
        return Terraform(binary, tmp_path / "work", variables=variables or {}, environ=environ)

    return make, log


def test_plan_exit_codes(fake, tmp_path: Path) -> None:
    make, log = fake
    assert make(0).plan(tmp_path / "tfplan") is False
    assert make(2).plan(tmp_path / "tfplan") is True
    args = log.read_text().splitlines()
    assert args[:2] == [f"-chdir={tmp_path / 'work'}", "plan"]
    assert "-input=false" in args and "-detailed-exitcode" in args and f"-out={tmp_path / 'tfplan'}" in args
    with pytest.raises(FraudspecError, match=r"(?s)`terraform plan` failed \(exit 1\).*some diagnostic"):
        make(1).plan(tmp_path / "tfplan")


def test_other_commands_accept_only_zero(fake) -> None:
    make, _ = fake
    with pytest.raises(FraudspecError, match=r"exit 2"):
        make(2).init()
    assert make(0, stdout=json.dumps({"endpoint_name": {"value": "ep", "sensitive": False}})).outputs() == {
        "endpoint_name": "ep"}


def test_variables_travel_only_in_the_environment(fake, tmp_path: Path) -> None:
    make, log = fake
    make(0, variables={"webhook_hook": "https://secret.example/x"}).init(backend_config={"key": "a/b.tfstate"})
    lines = log.read_text().splitlines()
    assert "TF_VAR_webhook_hook=https://secret.example/x" in lines
    assert not any("secret" in line for line in lines if not line.startswith("TF_VAR_"))
    assert "-backend-config=key=a/b.tfstate" in lines
    assert not list(tmp_path.glob("work/*")), "nothing may be written next to the configuration"


def test_binary_discovery(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    tofu = bin_dir / "tofu"
    tofu.write_text("#!/bin/sh\n")
    tofu.chmod(0o755)
    assert find_binary({"PATH": str(bin_dir)}) == tofu
    terraform = bin_dir / "terraform"
    terraform.write_text("#!/bin/sh\n")
    terraform.chmod(0o755)
    assert find_binary({"PATH": str(bin_dir)}) == terraform
    assert find_binary({"PATH": str(bin_dir), "FRAUDSPEC_TERRAFORM": str(tofu)}) == tofu
    with pytest.raises(FraudspecError, match="FRAUDSPEC_TERRAFORM=/nowhere"):
        find_binary({"PATH": str(bin_dir), "FRAUDSPEC_TERRAFORM": "/nowhere"})
    with pytest.raises(FraudspecError, match="neither terraform nor tofu"):
        find_binary({"PATH": str(tmp_path / "empty")})

