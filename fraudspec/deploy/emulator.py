"""The AWS emulator: try the aws target without an AWS account, against moto server on 127.0.0.1.

    python -m fraudspec.deploy.emulator start [--spec SPEC] [--port 4566]   (`make emulator`)
    python -m fraudspec.deploy.emulator stop                                (`make emulator-stop`)

`start` runs moto server in the background (pid and log under build/emulator/), creates the bucket
of every aws environment of the spec (fraudspec never manages buckets), writes a Terraform CLI
configuration that installs hashicorp/aws from this machine's provider mirror, and writes
build/emulator/env.sh: the variables of `environment()`, the one definition the tests use too.
Sourcing it points boto3 and the Terraform provider (both honour AWS_ENDPOINT_URL) at the emulator
with dummy credentials; FRAUDSPEC_EMULATOR tells fraudspec itself, which then labels its output,
keeps Terraform's state for the emulator apart from the real one, and skips the smoke invocation
(moto runs no model: its invoke_endpoint answers canned bodies).

A developer aid: the CLI never imports this module at start-up; deploy/aws.py asks `active()`.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import IO

from fraudspec.core.errors import FraudspecError
from fraudspec.deploy.provider_mirror import find_provider_mirror, mirror_cli_config

ENV_EMULATOR = "FRAUDSPEC_EMULATOR"
LABEL = "AWS EMULATOR (moto on this machine; nothing reaches AWS)"
DEFAULT_PORT = 4566
ACCOUNT = "123456789012"  # moto's account: an environment must name it for the provider to accept it
DIRECTORY = Path("build") / "emulator"
START_SECONDS = 20.0


def environment(url: str) -> dict[str, str]:
    """What points boto3, the Terraform provider and fraudspec at the emulator at `url`."""
    return {
        "AWS_ENDPOINT_URL": url,  # every service, boto3 and the provider alike
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_MAX_ATTEMPTS": "2",  # moto's unimplemented calls fail fast instead of retrying for minutes
        ENV_EMULATOR: url,
    }


# Credentials from elsewhere must not leak into emulator runs.
UNSET = ("AWS_PROFILE", "AWS_SESSION_TOKEN")


def active(environ: Mapping[str, str] = os.environ) -> str | None:
    """The emulator's URL when this process talks to it, else None."""
    return environ.get(ENV_EMULATOR) or None


def state_settings(build_dir: Path) -> tuple[dict[str, str], dict[str, str]]:
    """(-backend-config, environment) that keep the emulator's Terraform state and working data in
    build/<env>/emulator/, apart from a real deployment's in terraform/<env>/."""
    root = (build_dir / "emulator").resolve()
    return {"path": str(root / "terraform.tfstate")}, {"TF_DATA_DIR": str(root / ".terraform")}


def start(spec_path: Path, port: int, directory: Path = DIRECTORY) -> Path:
    """Start moto server, create the spec's buckets, write env.sh; returns env.sh's path."""
    directory.mkdir(parents=True, exist_ok=True)
    url = f"http://127.0.0.1:{port}"
    pid_file = directory / "moto.pid"
    if _running(pid_file):
        raise FraudspecError(f"the emulator already runs ({pid_file}); stop it with `make emulator-stop`")
    mirror = find_provider_mirror()
    if mirror is None:
        raise FraudspecError("no filesystem mirror of hashicorp/aws on this machine",
                             hint="set FRAUDSPEC_PROVIDER_MIRROR to a directory holding "
                                  "registry.terraform.io/hashicorp/aws")
    with open(directory / "moto.log", "wb") as log:
        process = launch(port, log, detached=True)  # outlives `make`
    pid_file.write_text(f"{process.pid}\n")
    wait_ready(url, process, f"see {directory / 'moto.log'}")
    variables = {**environment(url), "TF_CLI_CONFIG_FILE": str(mirror_cli_config(mirror, directory.resolve()))}
    create_buckets(spec_path, variables)
    env_file = directory / "env.sh"
    exports = [f"unset {' '.join(UNSET)}"] + [f"export {name}={value}" for name, value in sorted(variables.items())]
    env_file.write_text(f"# {LABEL}: source this file (`. {env_file}`) to use it.\n" + "\n".join(exports) + "\n")
    return env_file


def launch(port: int, output: IO[bytes] | int, *, detached: bool = False) -> subprocess.Popen:
    """moto server on 127.0.0.1:`port`, with the emulator's fixes (fraudspec.deploy.emulator_moto)."""
    return subprocess.Popen([sys.executable, "-m", "fraudspec.deploy.emulator_moto", str(port)],
                            stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            start_new_session=detached)


def wait_ready(url: str, process: subprocess.Popen, where: str = "") -> None:
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            urllib.request.urlopen(f"{url}/moto-api/", timeout=1).close()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise FraudspecError(f"moto server did not start on {url}; {where}",
                                     hint="is moto[server] installed (the dev extra) and the port free?") from None
            time.sleep(0.1)


def create_buckets(spec_path: Path, variables: Mapping[str, str]) -> None:
    """Each aws environment's bucket, in its region, as the account owner would have made it."""
    import boto3

    from fraudspec.spec.load import load_environments

    for env, spec in load_environments(spec_path).items():
        environment_ = spec.environment
        if environment_.target != "aws" or environment_.bucket is None:
            continue
        s3 = boto3.client("s3", region_name=environment_.region, endpoint_url=variables["AWS_ENDPOINT_URL"],
                          aws_access_key_id="testing", aws_secret_access_key="testing")
        if environment_.bucket in {bucket["Name"] for bucket in s3.list_buckets().get("Buckets", [])}:
            continue  # environments may share a bucket
        extra = {} if environment_.region == "us-east-1" else {
            "CreateBucketConfiguration": {"LocationConstraint": environment_.region}}
        s3.create_bucket(Bucket=environment_.bucket, **extra)
        print(f"emulator: bucket {environment_.bucket} ({env}, {environment_.region})")


def stop(directory: Path = DIRECTORY) -> bool:
    """Stop the emulator this checkout started; False when none ran. Its state is gone with it."""
    pid_file = directory / "moto.pid"
    running = _running(pid_file)
    if running:
        os.kill(int(pid_file.read_text()), signal.SIGTERM)
    for name in ("moto.pid", "env.sh"):
        (directory / name).unlink(missing_ok=True)
    return running


def _running(pid_file: Path) -> bool:
    """The recorded pid is alive and is a moto server (not a recycled pid)."""
    try:
        pid = int(pid_file.read_text())
        command = Path(f"/proc/{pid}/cmdline").read_bytes() if Path("/proc").is_dir() else b"emulator_moto"
        os.kill(pid, 0)
    except (OSError, ValueError):
        return False
    return b"emulator_moto" in command


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="the AWS emulator (moto server on 127.0.0.1)")
    sub = parser.add_subparsers(dest="action", required=True)
    started = sub.add_parser("start")
    started.add_argument("--spec", type=Path, default=Path("specs/fraud-detection.yaml"))
    started.add_argument("--port", type=int, default=DEFAULT_PORT)
    sub.add_parser("stop")
    args = parser.parse_args(argv)
    try:
        if args.action == "start":
            env_file = start(args.spec, args.port)
            print(f"{LABEL} runs at http://127.0.0.1:{args.port}\n"
                  f"now run `. {env_file}` in your shell; `make emulator-stop` stops it (its state is in memory)")
        else:
            print("emulator stopped" if stop() else "no emulator was running")
    except FraudspecError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
