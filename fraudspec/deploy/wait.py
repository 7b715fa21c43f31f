"""After apply: wait until the endpoint is InService, then invoke it once.

Creating an endpoint takes minutes (serverless cold starts and instance provisioning); the wait
shows the status as it changes, and fails fast on Failed / OutOfService with AWS's reason.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from typing import Any

from fraudspec.core.errors import FraudspecError

IN_SERVICE = "InService"
FAILED = ("Failed", "OutOfService", "Deleting", "UpdateRollbackFailed")
POLL_SECONDS = 15.0
TIMEOUT_SECONDS = 30 * 60.0


def wait_in_service(sagemaker: Any, endpoint: str, *, timeout: float = TIMEOUT_SECONDS,
                    poll: float = POLL_SECONDS, progress: bool = True,
                    clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> float:
    """Block until `endpoint` is InService; returns the seconds waited."""
    from botocore.exceptions import BotoCoreError, ClientError
    from tqdm import tqdm

    started = clock()
    with tqdm(total=None, bar_format="{desc} [{elapsed}]", disable=not progress) as bar:
        while True:
            try:
                described = sagemaker.describe_endpoint(EndpointName=endpoint)
            except (BotoCoreError, ClientError) as error:
                raise FraudspecError(f"cannot describe endpoint {endpoint}: {error}",
                                     hint="check AWS credentials and that apply finished") from None
            status = described["EndpointStatus"]
            bar.set_description_str(f"endpoint {endpoint}: {status}")
            if status == IN_SERVICE:
                return clock() - started
            if status in FAILED:
                reason = described.get("FailureReason", "no reason given")
                raise FraudspecError(f"endpoint {endpoint} is {status}: {reason}",
                                     hint="see the endpoint's CloudWatch logs (/aws/sagemaker/Endpoints/"
                                          f"{endpoint}); fix the cause and apply again")
            if clock() - started > timeout:
                raise FraudspecError(f"endpoint {endpoint} still {status} after {timeout:.0f} s",
                                     hint="apply is done; check the endpoint in the SageMaker console")
            sleep(poll)


def smoke_invoke(runtime: Any, endpoint: str, payload: Mapping[str, Any]) -> dict[str, Any]:
    """One JSON request; the response must be a JSON object (the model's answer)."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        response = runtime.invoke_endpoint(EndpointName=endpoint, ContentType="application/json",
                                           Accept="application/json", Body=json.dumps(payload).encode())
    except (BotoCoreError, ClientError) as error:
        raise FraudspecError(f"the smoke invocation of {endpoint} failed: {error}",
                             hint="the endpoint is up but its handler misbehaves; see its CloudWatch logs") from None
    body = response["Body"].read().decode("utf-8", "replace")
    try:
        answer = json.loads(body)
    except ValueError:
        raise FraudspecError(f"the smoke invocation of {endpoint} answered with non-JSON: {body[:200]!r}",
                             hint="the endpoint is up but its handler misbehaves; see its CloudWatch logs") from None
    return answer if isinstance(answer, dict) else {"response": answer}
