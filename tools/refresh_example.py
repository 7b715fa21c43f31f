"""Refresh the committed example's lock and Terraform after fraudspec's own artifacts changed.

The monitoring Lambda's zip is fraudspec's code, and model.tar.gz carries the handler: a change to
either makes the committed lock stale. This rebuilds dev (`fraudspec build --env dev`) and promotes
it to staging (`fraudspec promote --from dev --to staging`) against a moto server on loopback (the
example's buckets exist only there), so dev and staging stay byte-for-byte the same artifacts, as
they would on AWS. Run it from the repository root, then review and commit specs/ and terraform/:

    .venv/bin/python -m tools.refresh_example
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import boto3

from fraudspec.spec.load import load_environments

SPEC = Path("specs/fraud-detection.yaml")
FRAUDSPEC = str(Path(sys.executable).parent / "fraudspec")


def main() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait(url)
        env = {**os.environ, "AWS_ENDPOINT_URL": url, "AWS_ACCESS_KEY_ID": "emulator",
               "AWS_SECRET_ACCESS_KEY": "emulator", "AWS_DEFAULT_REGION": "us-east-1"}
        env.pop("AWS_PROFILE", None)
        for spec in load_environments(SPEC, ["dev", "staging"]).values():
            region = spec.environment.region
            s3 = boto3.client("s3", endpoint_url=url, region_name=region, aws_access_key_id="emulator",
                              aws_secret_access_key="emulator")
            s3.create_bucket(Bucket=spec.environment.bucket,
                             CreateBucketConfiguration={"LocationConstraint": region})
        for command in (["build", "--env", "dev"], ["promote", "--from", "dev", "--to", "staging"],
                        ["render", "--check"]):
            print("$ fraudspec", " ".join(command), flush=True)
            subprocess.run([FRAUDSPEC, *command, "--spec", str(SPEC)], env=env, check=True)
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 0


def _wait(url: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/moto-api/", timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError("the moto server did not start") from None
            time.sleep(0.1)


if __name__ == "__main__":
    sys.exit(main())
