"""Runs inside the SageMaker Python SDK's own virtualenv (build/tools/sagemaker-sdk): loads fraudspec's
monitoring files through sagemaker.model_monitor and asks the local runtime for a prediction through
the SDK's Predictor in local mode; prints what the SDK saw as one JSON object.

    python oracle.py STATISTICS CONSTRAINTS VIOLATIONS PORT ENDPOINT PAYLOAD_JSON

The SDK reads monitoring files through S3 (from_file_path uploads them to the session's default
bucket first): AWS_ENDPOINT_URL points it at the AWS emulator.
"""

import json
import sys

import boto3
from sagemaker.deserializers import JSONDeserializer
from sagemaker.local import LocalSession
from sagemaker.model_monitor import Constraints, ConstraintViolations, Statistics
from sagemaker.predictor import Predictor
from sagemaker.serializers import JSONSerializer
from sagemaker.session import Session


def main(statistics, constraints, violations, port, endpoint, payload):
    # A named bucket: the SDK then never asks STS for the account (its STS client ignores AWS_ENDPOINT_URL).
    session = Session(boto3.Session(region_name="us-east-1"), default_bucket="sagemaker-oracle")
    stats = Statistics.from_file_path(statistics, sagemaker_session=session)
    checks = Constraints.from_file_path(constraints, sagemaker_session=session)
    checks.set_monitoring(False, feature_name="amount")  # the SDK walks the features by name
    found = ConstraintViolations.from_file_path(violations, sagemaker_session=session)
    local = LocalSession()
    local.sagemaker_runtime_client.serving_port = int(port)
    predictor = Predictor(endpoint, sagemaker_session=local, serializer=JSONSerializer(),
                          deserializer=JSONDeserializer())
    print(json.dumps({
        "statistics_features": [f["name"] for f in stats.body_dict["features"]],
        "statistics_uri": stats.file_s3_uri,
        "constraints_features": [f["name"] for f in checks.body_dict["features"]],
        "amount_monitoring": [f.get("monitoring_config_overrides", {}).get("evaluate_constraints")
                              for f in checks.body_dict["features"] if f["name"] == "amount"],
        "violations": [(v["feature_name"], v["constraint_check_type"]) for v in found.body_dict["violations"]],
        "prediction": predictor.predict(json.loads(payload)),
    }))


if __name__ == "__main__":
    main(*sys.argv[1:])
