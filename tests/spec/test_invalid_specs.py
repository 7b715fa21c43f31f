"""Table-driven invalid specs: each case edits the valid BASE spec and names the rule and line it expects."""

from __future__ import annotations

import pytest

from fraudspec.spec.load import validate_spec
from tests.spec.conftest import BASE

REALTIME = "endpoint:\n  realtime:\n    instance_type: ml.m5.large\n    instance_count: 1\n"
SERVERLESS = "endpoint:\n  serverless:\n    memory_mb: 2048\n    max_concurrency: 5\n"
FEATURES_LINE = "    features: {amount: 0.05}\n"  # the last line of BASE's monitoring section
QUALITY_METRICS = "  model_quality:\n    metrics:\n      {}\n"

# (case id, [(old, new), ...] applied to BASE, expected rule, text on the expected line)
CASES = [
    ("memory-below-min", [("memory_mb: 2048", "memory_mb: 1000")], "FS101", "memory_mb: 1000"),
    ("memory-not-step", [("memory_mb: 2048", "memory_mb: 2500")], "FS101", "memory_mb: 2500"),
    ("memory-above-max", [("memory_mb: 2048", "memory_mb: 8192")], "FS101", "memory_mb: 8192"),
    ("concurrency-zero", [("max_concurrency: 5", "max_concurrency: 0")], "FS102", "max_concurrency: 0"),
    ("concurrency-too-high", [("max_concurrency: 5", "max_concurrency: 500")], "FS102", "max_concurrency: 500"),
    (
        "provisioned-above-max",
        [("max_concurrency: 5\n", "max_concurrency: 5\n    provisioned_concurrency: 9\n")],
        "FS103",
        "provisioned_concurrency: 9",
    ),
    (
        "provisioned-zero",
        [("max_concurrency: 5\n", "max_concurrency: 5\n    provisioned_concurrency: 0\n")],
        "FS103",
        "provisioned_concurrency: 0",
    ),
    (
        "serverless-with-model-monitor",
        [("  schedule: hourly", "  engine: sagemaker\n  schedule: hourly")],
        "FS104",
        "engine: sagemaker",
    ),
    (
        "realtime-field-under-serverless",
        [("max_concurrency: 5\n", "max_concurrency: 5\n    instance_count: 2\n")],
        "FS105",
        "instance_count: 2",
    ),
    ("unknown-instance-type", [(SERVERLESS, REALTIME), ("ml.m5.large", "ml.m5.huge")], "FS106", "ml.m5.huge"),
    (
        "both-endpoint-kinds",
        [(SERVERLESS, SERVERLESS + "  realtime: {instance_type: ml.m5.large}\n")],
        "FS107",
        "endpoint:",
    ),
    (
        "autoscaling-min-above-max",
        [(SERVERLESS, REALTIME + "    autoscaling: {min: 3, max: 2}\n")],
        "FS108",
        "autoscaling:",
    ),
    (
        "instance-count-outside-scaling",
        [(SERVERLESS, REALTIME.replace("count: 1", "count: 5") + "    autoscaling: {min: 1, max: 2}\n")],
        "FS108",
        "instance_count: 5",
    ),
    ("schedule-unknown-form", [("schedule: hourly", "schedule: weekly")], "FS201", "schedule: weekly"),
    ("schedule-five-field-cron", [("schedule: hourly", "schedule: cron(0 * * * *)")], "FS201", "schedule: cron"),
    ("schedule-out-of-range", [("schedule: hourly", "schedule: cron(0 25 ? * * *)")], "FS201", "schedule: cron"),
    (
        "schedule-rate-for-model-monitor",
        [(SERVERLESS, REALTIME), ("  schedule: hourly", "  engine: sagemaker\n  schedule: rate(1 hour)")],
        "FS201",
        "schedule: rate",
    ),
    (
        "drift-threshold-undeclared-feature",
        [("features: {amount: 0.05}", "features: {amout: 0.05}")],
        "FS202",
        "features: {amout",
    ),
    (
        "completeness-undeclared-feature",
        [("  drift:\n", "  completeness:\n    features: {amount_x: 0.9}\n  drift:\n")],
        "FS202",
        "features: {amount_x",
    ),
    ("threshold-above-one", [("threshold: 0.1", "threshold: 1.5")], "FS203", "threshold: 1.5"),
    ("feature-threshold-negative", [("{amount: 0.05}", "{amount: -0.1}")], "FS203", "{amount: -0.1}"),
    ("gate-above-one", [("gate: {roc_auc: 0.5}", "gate: {roc_auc: 90}")], "FS203", "gate:"),
    (
        "unknown-timezone",
        [("  schedule: hourly", "  schedule: hourly\n  timezone: Mars/Olympus")],
        "FS204",
        "timezone: Mars",
    ),
    ("monitoring-without-capture", [("sampling_percent: 100", "sampling_percent: 0")], "FS205", "capture:"),
    (
        "endpoint-name-too-long",
        [("project: project-a", "project: " + "p" * 40), ("name: fraud-detection", "name: " + "n" * 30)],
        "FS301",
        "name: nnn",
    ),
    ("config-prefix-too-long", [("project: project-a", "project: project-alpha-beta")], "FS302", "name: fraud"),
    ("reserved-tag", [("project: project-a\n", "project: project-a\ntags: {Team: other}\n")], "FS304", "tags: {Team"),
    (
        "model-monitor-not-utc",
        [
            (SERVERLESS, REALTIME),
            ("  schedule: hourly", "  engine: sagemaker\n  schedule: hourly\n  timezone: Asia/Singapore"),
        ],
        "FS206",
        "timezone: Asia",
    ),
    (
        "log-retention-not-cloudwatch",
        [("  schedule: hourly", "  schedule: hourly\n  log_retention_days: 45")],
        "FS006",
        "log_retention_days: 45",
    ),
    (
        "model-monitor-instance-type",
        [("  schedule: hourly", "  schedule: hourly\n  job_instance_type: m5.xlarge")],
        "FS207",
        "job_instance_type",
    ),
    ("name-not-lowercase", [("name: fraud-detection", "name: Fraud_Detection")], "FS303", "name: Fraud"),
    ("unknown-region", [("region: ap-southeast-1", "region: ap-southeast-9")], "FS401", "region: ap-southeast-9"),
    ("account-too-short", [('account: "123456789012"', 'account: "12345"')], "FS402", 'account: "12345"'),
    ("account-unquoted", [('account: "123456789012"', "account: 123456789012")], "FS402", "account: 1234"),
    ("aws-env-without-bucket", [("    bucket: acme-sm-rc-project-a\n", "")], "FS403", "dev:"),
    ("bucket-invalid", [("bucket: acme-sm-rc-project-a", "bucket: Acme_Bucket")], "FS404", "bucket: Acme_Bucket"),
    (
        "role-not-arn",
        [("bucket: acme-sm-rc-project-a", "bucket: acme-sm-rc-project-a\n    role: admin")],
        "FS405",
        "role: admin",
    ),
    (
        "s3-state-without-bucket",
        [("bucket: acme-sm-rc-project-a", "bucket: acme-sm-rc-project-a\n    state: {backend: s3}")],
        "FS406",
        "state:",
    ),
    ("email-malformed", [("email: oncall@example.com", "email: oncall@")], "FS501", "email: oncall@"),
    (
        "webhook-inline-with-token",
        [("- email: oncall@example.com", "- webhook: https://hooks.example.com/x?token=abc")],
        "FS502",
        "webhook: https",
    ),
    (
        "sns-arn-malformed",
        [("- email: oncall@example.com", "- sns_topic_arn: arn:aws:sns:alerts")],
        "FS503",
        "sns_topic_arn",
    ),
    ("csv-missing", [("synthetic: {rows: 1000, seed: 7}", "csv: ../data/missing.csv")], "FS601", "csv: ../data"),
    (
        "duplicate-feature",
        [("- {name: amount, type: numeric}", "- {name: amount, type: numeric}\n    - {name: amount}")],
        "FS602",
        "- {name: amount}",
    ),
    ("target-is-feature", [("- {name: amount, type: numeric}", "- {name: is_fraud}")], "FS602", "- {name: is_fraud}"),
    ("unknown-hyperparameter", [("{n_estimators: 10}", "{n_estimator: 10}")], "FS603", "hyperparameters:"),
    ("yaml-syntax", [("  target: is_fraud", "  target: [is_fraud")], "FS001", "data:"),
    ("duplicate-key", [("  target: is_fraud", "  target: is_fraud\n  target: label")], "FS002", "target: label"),
    ("unknown-top-level-key", [("capture:", "captur:")], "FS003", "captur:"),
    ("unknown-nested-key", [("threshold: 0.1", "treshold: 0.1")], "FS003", "treshold: 0.1"),
    ("wrong-type", [("{rows: 1000, seed: 7}", "{rows: many, seed: 7}")], "FS004", "synthetic:"),
    ("missing-target", [("  target: is_fraud\n", "")], "FS005", "model:"),
    ("missing-name", [("name: fraud-detection\n", "")], "FS005", "team: rc"),
    ("unknown-algorithm", [("algorithm: random_forest", "algorithm: xgboost")], "FS006", "algorithm: xgboost"),
    ("unknown-gate-metric", [("gate: {roc_auc: 0.5}", "gate: {auc: 0.5}")], "FS006", "gate:"),
    (
        "two-data-sources",
        [("synthetic: {rows: 1000, seed: 7}", "synthetic: {rows: 1000}\n    csv: x.csv")],
        "FS006",
        "data:",
    ),
    (
        "notify-two-targets",
        [("- email: oncall@example.com", "- {email: a@example.com, webhook: '${env:X}'}")],
        "FS006",
        "- {email",
    ),
    ("environment-name-invalid", [("  local:\n", "  Local_Env:\n")], "FS006", "Local_Env:"),
    ("sampling-above-100", [("sampling_percent: 100", "sampling_percent: 150")], "FS006", "sampling_percent: 150"),
    (
        "override-memory-invalid",
        [
            (
                "bucket: acme-sm-rc-project-a\n",
                "bucket: acme-sm-rc-project-a\n    overrides: {endpoint: {serverless: {memory_mb: 3000}}}\n",
            )
        ],
        "FS101",
        "overrides:",
    ),
    (
        "override-unknown-section",
        [("bucket: acme-sm-rc-project-a\n", "bucket: acme-sm-rc-project-a\n    overrides:\n      endpont: {}\n")],
        "FS003",
        "endpont:",
    ),
    (
        "override-unknown-nested-key",
        [
            (
                "bucket: acme-sm-rc-project-a\n",
                "bucket: acme-sm-rc-project-a\n    overrides:\n      monitoring:\n        drift: {treshold: 0.2}\n",
            )
        ],
        "FS003",
        "drift: {treshold",
    ),
    (
        "quality-schedule-invalid",
        [(FEATURES_LINE, FEATURES_LINE + "  model_quality: {schedule: weekly}\n")],
        "FS801",
        "schedule: weekly",
    ),
    (
        "quality-threshold-above-one",
        [(FEATURES_LINE, FEATURES_LINE + QUALITY_METRICS.format("recall: {min: 1.5}"))],
        "FS802",
        "recall: {min: 1.5}",
    ),
    (
        "quality-probability-threshold-negative",
        [(FEATURES_LINE, FEATURES_LINE + "  model_quality:\n    probability_threshold: -0.1\n")],
        "FS802",
        "probability_threshold: -0.1",
    ),
    (
        "quality-metric-bare-number",
        [(FEATURES_LINE, FEATURES_LINE + QUALITY_METRICS.format("recall: 0.8"))],
        "FS803",
        "recall: 0.8",
    ),
    (
        "quality-metric-min-and-max",
        [(FEATURES_LINE, FEATURES_LINE + QUALITY_METRICS.format("recall: {min: 0.5, max: 0.9}"))],
        "FS803",
        "recall:",
    ),
    (
        "quality-max-on-a-score",
        [(FEATURES_LINE, FEATURES_LINE + QUALITY_METRICS.format("recall: {max: 0.9}"))],
        "FS803",
        "recall: {max",
    ),
    (
        "quality-min-on-an-error-rate",
        [(FEATURES_LINE, FEATURES_LINE + QUALITY_METRICS.format("false_positive_rate: {min: 0.1}"))],
        "FS803",
        "false_positive_rate",
    ),
    (
        "quality-bound-never-violated",
        [(FEATURES_LINE, FEATURES_LINE + QUALITY_METRICS.format("auc: {min: 0}"))],
        "FS803",
        "auc: {min: 0}",
    ),
    # Bounded loading and finite numbers (FS008, FS009), bounds, schedules and AWS limits (issue 12).
    ("alias-bomb", [("team: rc\n", "team: rc\nlol: &a [x, x, x, x, x, x, x, x, x, x]\n"
                     + "".join(f"l{i}: &l{i} [" + ", ".join([f"*{'a' if i == 0 else f'l{i - 1}'}"] * 10) + "]\n"
                               for i in range(6)))],
     "FS008", "l3: &l3"),
    ("nan-decision-threshold", [("  gate: {roc_auc: 0.5}\n", "  gate: {roc_auc: 0.5}\n  decision_threshold: .nan\n")],
     "FS009", "decision_threshold: .nan"),
    ("inf-drift-threshold", [("threshold: 0.1", "threshold: .inf")], "FS009", "threshold: .inf"),
    ("nan-validation-fraction", [("  gate: {roc_auc: 0.5}\n", "  gate: {roc_auc: 0.5}\n  validation_fraction: .NaN\n")],
     "FS009", "validation_fraction: .NaN"),
    ("nan-in-an-override", [("    bucket: acme-sm-rc-project-a\n", "    bucket: acme-sm-rc-project-a\n    overrides:\n"
                             "      monitoring: {drift: {threshold: -.inf}}\n")], "FS009", "threshold: -.inf"),
    ("decision-threshold-one", [("  gate: {roc_auc: 0.5}\n", "  gate: {roc_auc: 0.5}\n  decision_threshold: 1\n")],
     "FS203", "decision_threshold: 1"),
    ("decision-threshold-zero", [("  gate: {roc_auc: 0.5}\n", "  gate: {roc_auc: 0.5}\n  decision_threshold: 0\n")],
     "FS203", "decision_threshold: 0"),
    ("seed-overflows-numpy", [("seed: 7", "seed: 100000000000000000000")], "FS006", "seed: 1000"),
    ("cron-on-february-30", [("schedule: hourly", "schedule: cron(0 0 30 2 ? *)")], "FS201", "cron(0 0 30 2"),
    ("cron-in-a-past-year", [("schedule: hourly", "schedule: cron(0 0 1 1 ? 2001)")], "FS201", "cron(0 0 1 1"),
    ("rate-overflows", [("schedule: hourly", "schedule: rate(100000000000000000000 days)")], "FS201", "rate(1000"),
    ("tag-aws-prefix", [("project: project-a\n", "project: project-a\ntags: {'aws:owner': me}\n")],
     "FS307", "aws:owner"),
    ("too-many-tags", [("project: project-a\n", "project: project-a\ntags: {"
                        + ", ".join(f"t{i}: v" for i in range(46)) + "}\n")], "FS307", "t45: v"),
    ("tag-character", [("project: project-a\n", "project: project-a\ntags: {owner: '<script>'}\n")],
     "FS307", "owner:"),
    ("n-estimators-huge", [("n_estimators: 10", "n_estimators: 1000000000")], "FS604", "n_estimators: 1000"),
    ("max-depth-fraction", [("{n_estimators: 10}", "{n_estimators: 10, max_depth: 2.5}")], "FS604", "max_depth: 2.5"),
    ("bucket-adjacent-dots", [("bucket: acme-sm-rc-project-a", "bucket: acme..project")], "FS404", "acme..project"),
    ("bucket-ip-address", [("bucket: acme-sm-rc-project-a", "bucket: 192.168.5.4")], "FS404", "192.168.5.4"),
    ("state-bucket-invalid", [("    bucket: acme-sm-rc-project-a\n", "    bucket: acme-sm-rc-project-a\n"
                               "    state: {backend: s3, bucket: Bad_Bucket}\n")], "FS404", "Bad_Bucket"),
    ("webhook-file-scheme", [("    - email: oncall@example.com\n", "    - email: oncall@example.com\n"
                              "    - webhook: file:///etc/passwd\n")], "FS502", "file:///etc/passwd"),
    ("webhook-no-scheme", [("    - email: oncall@example.com\n", "    - email: oncall@example.com\n"
                            "    - webhook: hooks.example.com/x\n")], "FS502", "hooks.example.com/x"),
    ("webhook-http", [("    - email: oncall@example.com\n", "    - email: oncall@example.com\n"
                       "    - webhook: http://hooks.example.com/x\n")], "FS502", "http://hooks.example.com"),
    (
        "quality-local-ground-truth-on-aws",
        [(FEATURES_LINE, FEATURES_LINE + "  model_quality:\n    ground_truth: ../labels\n")],
        "FS804",
        "ground_truth: ../labels",
    ),
    (
        "quality-ground-truth-bad-bucket",
        [(FEATURES_LINE, FEATURES_LINE + "  model_quality:\n    ground_truth: s3://Labels_Bucket/x\n")],
        "FS804",
        "ground_truth: s3://Labels_Bucket",
    ),
    (
        "quality-with-model-monitor",
        [
            (SERVERLESS, REALTIME),
            ("  schedule: hourly", "  engine: sagemaker\n  schedule: hourly"),
            (FEATURES_LINE, FEATURES_LINE + "  model_quality: {}\n"),
        ],
        "FS805",
        "model_quality:",
    ),
    (
        "quality-without-captured-outputs",
        [
            ("sampling_percent: 100", "sampling_percent: 100\n  output: false"),
            (FEATURES_LINE, FEATURES_LINE + "  model_quality: {}\n"),
        ],
        "FS806",
        "output: false",
    ),
    (
        "quality-unknown-metric",
        [(FEATURES_LINE, FEATURES_LINE + QUALITY_METRICS.format("recal: {min: 0.8}"))],
        "FS006",
        "recal:",
    ),
    (
        "quality-unknown-problem-type",
        [(FEATURES_LINE, FEATURES_LINE + "  model_quality:\n    problem_type: regression\n")],
        "FS006",
        "problem_type: regression",
    ),
    (
        "quality-min-labels-zero",
        [(FEATURES_LINE, FEATURES_LINE + "  model_quality:\n    min_labels: 0\n")],
        "FS006",
        "min_labels: 0",
    ),
]


def _apply(edits: list[tuple[str, str]]) -> str:
    text = BASE
    for old, new in edits:
        assert old in text, f"test case edit does not apply: {old!r}"
        text = text.replace(old, new, 1)
    return text


def test_base_spec_is_valid(write_spec) -> None:
    assert validate_spec(write_spec()) == []


def test_there_are_at_least_forty_cases() -> None:
    assert len(CASES) >= 40
    assert len({case[0] for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case, edits, rule, at", CASES, ids=[case[0] for case in CASES])
def test_invalid_spec_reports_rule_and_line(write_spec, case, edits, rule, at) -> None:
    text = _apply(edits)
    expected_line = next(number for number, line in enumerate(text.splitlines(), 1) if at in line)
    findings = validate_spec(write_spec(text))
    reported = [(f.rule, f.location.line) for f in findings]
    assert (rule, expected_line) in reported, f"{case}: got {[str(f) for f in findings]}"
    for finding in findings:
        assert finding.message and finding.location is not None
        assert finding.location.file.endswith("spec.yaml")
    assert all(f.hint for f in findings), f"every finding says how to fix it: {[str(f) for f in findings]}"
