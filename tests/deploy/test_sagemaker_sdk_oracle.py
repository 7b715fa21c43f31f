"""The SageMaker Python SDK as a test oracle: fraudspec's statistics.json, constraints.json and
constraint_violations.json load through sagemaker.model_monitor (Statistics, Constraints,
ConstraintViolations), and the SDK's Predictor in local mode gets predictions from the local runtime.

The SDK (sagemaker 2.x, the last line with sagemaker.model_monitor and local mode in one package)
lives in a virtualenv of its own under build/tools/sagemaker-sdk, created here on first use: installed
into fraudspec's it would bring 33 packages (pandas 3, fastapi, an older packaging) into the dev
environment for one test. It reads monitoring files through S3, so it talks to the AWS emulator.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fraudspec.deploy import emulator
from tests.small_model import SMALL_MODEL, free_port

pytestmark = pytest.mark.slow  # a side virtualenv, a live local runtime, the AWS emulator

REPO = Path(__file__).resolve().parents[2]
SDK = "sagemaker==2.257.7"
VENV = REPO / "build" / "tools" / "sagemaker-sdk"
ORACLE = Path(__file__).parent / "sdk" / "oracle.py"
PORT_SPEC = """\
name: fraud-detection
team: rc
project: oracle
{model}
endpoint:
  serverless: {{memory_mb: 2048, max_concurrency: 5}}
monitoring:
  schedule: hourly
  drift: {{threshold: 0.1}}
environments:
  local: {{target: local, port: {port}}}
"""
RECORD = {"txn_count_1h": 3, "txn_amount_1h": 120.0, "merchant_count_24h": 2, "avg_amount_7d": 40.0, "amount": 900.0}


def _sdk_python() -> Path:
    python = VENV / "bin" / "python"
    if not python.is_file():
        created = subprocess.run([sys.executable, "-m", "venv", str(VENV)], capture_output=True, text=True)
        installed = created.returncode == 0 and subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", SDK], capture_output=True, text=True).returncode == 0
        if not installed:
            pytest.skip(f"NOT CHECKED AGAINST THE SAGEMAKER SDK: could not install {SDK} into {VENV}")
    return python


def test_monitoring_files_and_local_predictions_through_the_sagemaker_sdk(tmp_path, moto_server, cli,
                                                                          capsys) -> None:
    python = _sdk_python()
    port = free_port()
    spec_file = tmp_path / "specs" / "oracle.yaml"
    spec_file.parent.mkdir()
    spec_file.write_text(PORT_SPEC.format(model=SMALL_MODEL, port=port))
    args = ["--spec", str(spec_file), "--env", "local"]
    assert cli(["apply", *args, "--no-progress"]) == 0  # build, baseline, runtime in the background
    try:
        assert cli(["traffic", *args, "--n", "300", "--drift", "amount=x5"]) == 0
        cli(["monitor", "run", *args])  # drifted: CompletedWithViolations (exit 3 by design)
        capsys.readouterr()
        assert cli(["invoke", *args, "--data", json.dumps(RECORD)]) == 0
        direct = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
        monitoring = tmp_path / "build" / "oracle" / "local" / "monitoring"
        [violations] = sorted(monitoring.glob("reports/**/constraint_violations.json"))[-1:]
        environ = {**os.environ, **emulator.environment(moto_server), "AWS_DEFAULT_REGION": "us-east-1",
                   "SAGEMAKER_SUPPRESS_V2_WARNING": "1"}
        result = subprocess.run([str(python), str(ORACLE), str(monitoring / "statistics.json"),
                                 str(monitoring / "constraints.json"), str(violations), str(port),
                                 "rc-oracle-fraud-detection-local", json.dumps(RECORD)],
                                capture_output=True, text=True, env=environ, timeout=300)
    finally:
        cli(["destroy", *args])
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    features = ["txn_count_1h", "txn_amount_1h", "merchant_count_24h", "avg_amount_7d", "amount"]
    assert seen["statistics_features"] == features and seen["constraints_features"] == features
    assert seen["statistics_uri"].startswith("s3://sagemaker-oracle/monitoring/"), "read back through S3"
    assert seen["amount_monitoring"] == ["Disabled"], "the SDK found the feature by name and set its override"
    assert ["amount", "baseline_drift_check"] in seen["violations"]
    assert seen["prediction"] == direct, "the SDK's local-mode Predictor gets the runtime's own answer"
