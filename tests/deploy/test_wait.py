"""Waiting for InService and the smoke invocation, with stand-in clients and a fake clock."""

from __future__ import annotations

import io
import json

import pytest

from fraudspec.core.errors import FraudspecError
from fraudspec.deploy.wait import smoke_invoke, wait_in_service


class SageMaker:
    def __init__(self, *statuses: str, reason: str = "") -> None:
        self.statuses, self.reason = list(statuses), reason

    def describe_endpoint(self, EndpointName: str) -> dict:
        status = self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]
        return {"EndpointName": EndpointName, "EndpointStatus": status, "FailureReason": self.reason}


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_waits_through_creating_until_in_service() -> None:
    clock = Clock()
    waited = wait_in_service(SageMaker("Creating", "Creating", "InService"), "ep", poll=15, progress=False,
                             clock=clock, sleep=clock.sleep)
    assert waited == 30


def test_a_failed_endpoint_stops_the_wait_with_its_reason() -> None:
    clock = Clock()
    with pytest.raises(FraudspecError, match="endpoint ep is Failed: image pull failed"):
        wait_in_service(SageMaker("Creating", "Failed", reason="image pull failed"), "ep", progress=False,
                        clock=clock, sleep=clock.sleep)


def test_aws_errors_become_user_errors() -> None:
    from botocore.exceptions import ClientError

    class Denied:
        def describe_endpoint(self, EndpointName: str) -> dict:
            raise ClientError({"Error": {"Code": "AccessDeniedException", "Message": "no"}}, "DescribeEndpoint")

    with pytest.raises(FraudspecError, match=r"cannot describe endpoint ep.*AccessDenied"):
        wait_in_service(Denied(), "ep", progress=False)


def test_the_wait_times_out() -> None:
    clock = Clock()
    with pytest.raises(FraudspecError, match="still Creating after 60 s"):
        wait_in_service(SageMaker("Creating"), "ep", timeout=60, poll=15, progress=False, clock=clock,
                        sleep=clock.sleep)


class Runtime:
    def __init__(self, body: bytes) -> None:
        self.body, self.request = body, None

    def invoke_endpoint(self, **request) -> dict:
        self.request = request
        return {"Body": io.BytesIO(self.body)}


def test_smoke_invocation_sends_json_and_reads_the_answer() -> None:
    runtime = Runtime(b'{"is_fraud": 0, "fraud_probability": 0.1, "confidence": 0.9}')
    assert smoke_invoke(runtime, "ep", {"amount": 0.0})["fraud_probability"] == 0.1
    assert runtime.request["ContentType"] == "application/json"
    assert json.loads(runtime.request["Body"]) == {"amount": 0.0}
    with pytest.raises(FraudspecError, match="non-JSON"):
        smoke_invoke(Runtime(b"<html>"), "ep", {})
