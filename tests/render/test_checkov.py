"""checkov over the rendered Terraform JSON; every accepted finding is listed here with its reason.

checkov pins old boto3/packaging releases, so it lives in its own virtualenv: found through
$FRAUDSPEC_CHECKOV, then PATH, then build/tools/checkov (`make tools`). versions.tf.json is not
scanned: checkov's terraform_json parser crashes on `required_version`, and the file has no
resources.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from render_variants import VARIANTS

pytestmark = pytest.mark.slow  # checkov in its own virtualenv over every variant

REPO = Path(__file__).resolve().parents[2]
SCANNED = ("providers.tf.json", "fraudspec.tf.json")
# (check, resource as checkov names it) -> why fraudspec accepts it. Unused entries fail the test.
ACCEPTED = {
    ("CKV_AWS_109", "data.key"): "a key policy's Resource '*' is the key itself; kms:* for the account root "
                                 "is AWS's default key policy (IAM then decides)",
    ("CKV_AWS_111", "data.key"): "same key policy: '*' means this key, write access is granted to the account only",
    ("CKV_AWS_356", "data.key"): "same key policy: '*' is the only Resource a key policy can name",
    ("CKV_AWS_98", "resource.endpoint"): "storage-volume KMS needs a customer key the spec cannot name yet "
                                         "(endpoint.kms_key_arn requested); serverless endpoints take none",
    ("CKV_AWS_370", "resource.model"): "serverless only: the handler writes capture to S3 itself, which network "
                                       "isolation forbids (realtime models are isolated)",
    ("CKV_AWS_338", "resource.monitor"): "log retention is a cost choice: 30 days of job logs; reports stay in S3",
    ("CKV_AWS_116", "resource.monitor"): "no DLQ consumer: a failed run raises the monitor-errors alarm and the "
                                         "next scheduled run checks the next window",
    ("CKV_AWS_117", "resource.monitor"): "the job reads S3 and writes CloudWatch only; a VPC adds endpoints/NAT, "
                                         "not isolation",
    ("CKV_AWS_115", "resource.monitor"): "reserved concurrency fails on new accounts (10-execution quota must stay "
                                         "unreserved); runs are at most a few per hour",
    ("CKV_AWS_272", "resource.monitor"): "the zip is content-addressed and pinned by source_code_hash",
    ("CKV_AWS_173", "resource.monitor"): "the environment holds S3 URIs and names only, no secrets",
    ("CKV_AWS_50", "resource.monitor"): "one short batch run per schedule: logs and the errors alarm suffice",
    ("CKV_AWS_297", "resource.monitor"): "the schedule holds a function ARN and a time template, nothing secret",
    ("CKV_AWS_297", "resource.model_quality"): "the model-quality schedule likewise: a function ARN and a job name",
    ("CKV_AWS_297", "resource.monitor_gbm"): "a challenger's schedules likewise: its S3 URIs and schedule names",
    ("CKV_AWS_297", "resource.monitor_logistic"): "likewise (the challengers golden's second challenger)",
    ("CKV_AWS_297", "resource.model_quality_gbm"): "a challenger's model-quality schedule likewise (glue golden)",
    ("CKV_AWS_297", "resource.model_quality_logistic"): "likewise",
    ("CKV_AWS_338", "resource.monitor_output"): "log retention is a cost choice: the Glue job's logs, the spec's "
                                                "log_retention_days; reports stay in S3",
    ("CKV_AWS_338", "resource.monitor_error"): "likewise, the Glue job's error log",
    ("CKV_AWS_338", "resource.monitor_failed"): "likewise, the failed Glue runs' events (the alarm pages on them)",
    ("CKV_AWS_367", "resource.monitor"): "Model Monitor reports use the bucket's default encryption, as the "
                                         "fraudspec engine's do",
    ("CKV_AWS_284", "resource.idle"): "X-Ray tracing of the idle clean-up would add xray:Put* on '*' for a run of "
                                      "four API calls; every execution is logged (level ALL, KMS) and recorded in S3",
    ("CKV_AWS_368", "resource.monitor"): "the job's scratch volume uses SageMaker's default encryption",
}


def _checkov() -> str:
    candidates = [os.environ.get("FRAUDSPEC_CHECKOV"), shutil.which("checkov"),
                  str(REPO / "build" / "tools" / "checkov" / "bin" / "checkov")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return candidate
    pytest.skip("NOT SCANNED WITH CHECKOV: checkov not found (set FRAUDSPEC_CHECKOV, or `make tools`)")


def test_checkov_finds_nothing_unaccepted(tmp_path: Path) -> None:
    checkov = _checkov()
    for variant in VARIANTS:
        (tmp_path / variant.name).mkdir()
        for name in SCANNED:
            shutil.copyfile(variant.golden / name, tmp_path / variant.name / name)
    result = subprocess.run([checkov, "-d", str(tmp_path), "--framework", "terraform_json", "--skip-download",
                             "--quiet", "-o", "json"], capture_output=True, text=True)
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    assert report["summary"]["parsing_errors"] == 0
    assert report["summary"]["passed"] > 0
    failed = {(check["check_id"], check["resource"]) for check in report["results"]["failed_checks"]}
    unaccepted = sorted(failed - set(ACCEPTED))
    assert unaccepted == [], "new checkov findings: fix them, or accept them in ACCEPTED with a reason"
    assert sorted(set(ACCEPTED) - failed) == [], "accepted findings that no longer occur: remove them"
