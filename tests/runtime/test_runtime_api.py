"""The local runtime speaks the SageMaker Runtime API: the real boto3 client, unchanged, gets what
InvokeEndpoint returns, and errors shaped as the service shapes them."""

from __future__ import annotations

import http.client
import json
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import ClientError

from fraudspec.artifact.pipeline import build
from fraudspec.runtime.endpoint import Endpoint
from fraudspec.runtime.http import InvocationsApp, bind, make_server
from fraudspec.spec.model import ModelQualitySpec
from tests.artifact.conftest import _make_spec

pytestmark = pytest.mark.slow  # a live server on a trained model
ENDPOINT = "fraud-ep"
RECORD = {"txn_count_1h": 9, "txn_amount_1h": 900.0, "merchant_count_24h": 14, "avg_amount_7d": 35.5,
          "amount": 450.25}


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("runtime-api")
    model_tar = build(_make_spec(root), progress=False).model_tar
    endpoint = Endpoint.load(model_tar, root / "model", {"FRAUDSPEC_CAPTURE_DESTINATION": ""})
    sock = bind(0)
    server = make_server(InvocationsApp(endpoint, "AllTraffic", endpoint_name=ENDPOINT))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/ping", timeout=1)
            break
        except OSError:
            time.sleep(0.05)
    yield base
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "local")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "local")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")


def client(endpoint_url: str | None = None):
    return boto3.client("sagemaker-runtime", endpoint_url=endpoint_url)


def test_boto3_invoke_endpoint_gets_the_prediction_and_its_headers(url: str, credentials) -> None:
    response = client(url).invoke_endpoint(
        EndpointName=ENDPOINT, Body=json.dumps(RECORD), ContentType="application/json", Accept="application/json",
        CustomAttributes="trace=7;inference-id=txn-42", TargetVariant="AllTraffic")
    body = json.loads(response["Body"].read())
    assert set(body) == {"is_fraud", "fraud_probability", "confidence"}
    assert response["ContentType"] == "application/json"
    assert response["InvokedProductionVariant"] == "AllTraffic"
    assert response["CustomAttributes"] == "inference-id=txn-42"


def test_the_inference_id_parameter_is_the_captured_id(url: str, credentials) -> None:
    response = client(url).invoke_endpoint(EndpointName=ENDPOINT, Body="9,900.0,14,35.5,450.25",
                                           ContentType="text/csv", Accept="text/csv", InferenceId="caller-id-1")
    assert response["CustomAttributes"] == "inference-id=caller-id-1"
    assert response["ContentType"] == "text/csv" and response["Body"].read().count(b",") == 2


def test_the_endpoint_url_environment_variable_is_enough(url: str, credentials, monkeypatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME", url)
    response = client().invoke_endpoint(EndpointName=ENDPOINT, Body=json.dumps(RECORD),
                                        ContentType="application/json")
    assert json.loads(response["Body"].read())["is_fraud"] in (0, 1)


def test_a_bad_request_is_a_model_error_with_the_original_status_and_message(url: str, credentials) -> None:
    runtime = client(url)
    with pytest.raises(runtime.exceptions.ModelError) as caught:
        runtime.invoke_endpoint(EndpointName=ENDPOINT, Body=json.dumps({"amount": 1}), ContentType="application/json")
    error = caught.value.response
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 424
    assert error["OriginalStatusCode"] == 400
    assert "missing feature(s) 'txn_count_1h'" in error["OriginalMessage"]
    assert error["Error"]["Message"].startswith("Received client error (400) from primary with message")
    with pytest.raises(runtime.exceptions.ModelError) as unsupported:
        runtime.invoke_endpoint(EndpointName=ENDPOINT, Body=b"1,2", ContentType="image/png")
    assert unsupported.value.response["OriginalStatusCode"] == 415


def test_an_unknown_endpoint_or_variant_is_a_validation_error(url: str, credentials) -> None:
    runtime = client(url)
    with pytest.raises(ClientError) as unknown:
        runtime.invoke_endpoint(EndpointName="other-ep", Body=b"{}", ContentType="application/json")
    assert unknown.value.response["Error"]["Code"] == "ValidationError"
    assert unknown.value.response["Error"]["Message"] == "Endpoint other-ep of account 000000000000 not found."
    with pytest.raises(ClientError) as variant:
        runtime.invoke_endpoint(EndpointName=ENDPOINT, Body=b"{}", ContentType="application/json",
                                TargetVariant="blue")
    assert variant.value.response["Error"]["Code"] == "ValidationError"


def test_an_inference_id_over_64_characters_is_a_validation_error(url: str) -> None:
    """boto3 checks the length itself; a client that does not gets the service's answer."""
    status, headers, body = _post(url, f"/endpoints/{ENDPOINT}/invocations", b"9,900.0,14,35.5,450.25",
                                  {"Content-Type": "text/csv", "X-Amzn-SageMaker-Inference-Id": "x" * 65})
    assert status == 400 and headers["x-amzn-errortype"] == "ValidationError"
    assert "less than or equal to 64" in json.loads(body)["message"]


def test_the_container_contract_is_still_served_beside_it(url: str) -> None:
    status, headers, body = _post(url, "/invocations", b"9,900.0,14,35.5,450.25",
                                  {"Content-Type": "text/csv; charset=utf-8", "X-Amzn-SageMaker-Inference-Id": "c-1"})
    assert status == 200 and headers["x-amzn-sagemaker-custom-attributes"] == "inference-id=c-1"
    status, _, body = _post(url, "/invocations", b"1,2", {"Content-Type": "text/csv"})
    assert status == 400 and "CSV row 1 has 2 columns" in json.loads(body)["error"]


def _post(url: str, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection(url.removeprefix("http://").split(":")[0], int(url.rsplit(":", 1)[1]))
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def test_the_readme_example_runs_unchanged(url: str, credentials, monkeypatch, tmp_path: Path) -> None:
    """The README's application code, pointed at the local runtime by the environment alone."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    code = readme.split("<!-- runtime-api-example:start -->")[1].split("<!-- runtime-api-example:end -->")[0]
    code = code.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.setenv("AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME", url)
    monkeypatch.setenv("FRAUD_ENDPOINT", ENDPOINT)
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)
    assert namespace["result"]["is_fraud"] in (0, 1) and namespace["inference_id"] == "txn-0001"


@pytest.mark.parametrize("target", ["local", "aws"])
def test_traffic_keys_ground_truth_by_the_ids_the_responses_captured(url: str, credentials, target, tmp_path) -> None:
    """Both callers `fraudspec traffic` uses: HTTP to the local runtime, and boto3's InvokeEndpoint
    (here against the local runtime's Runtime API, the same wire as AWS)."""
    from fraudspec.client.aws import endpoint_caller
    from fraudspec.client.http import Request, http_caller, send_all
    from fraudspec.client.traffic import Traffic, make_traffic, write_labels
    from fraudspec.monitoring.records.groundtruth import read_labels
    from fraudspec.monitoring.records.hours import HOUR, Window
    from fraudspec.monitoring.records.label_store import ground_truth_source
    from fraudspec.monitoring.records.sources import window_blocks

    base = _make_spec(tmp_path)
    quality = ModelQualitySpec(schedule=base.monitoring.schedule, probability_threshold=0.5)
    spec = replace(base, monitoring=replace(base.monitoring, model_quality=quality))
    generated = make_traffic(spec, 4, seed=3)
    anonymous = Request(generated.requests[0].body)  # no id: the endpoint makes one and returns it
    traffic = Traffic((*generated.requests, anonymous), (*generated.labels, 1))
    make_call = (lambda: http_caller(url)) if target == "local" else \
        (lambda: endpoint_caller(client(url), ENDPOINT))
    result = send_all(make_call, traffic.requests, concurrency=2)
    assert result.acknowledged == 5
    assert [result.inference_ids[i] for i in range(4)] == [r.inference_id for r in generated.requests]
    assert len(result.inference_ids[4]) == 36
    write_labels(spec, traffic, seed=3, noise=0.0, delay_hours=0, captured=result.inference_ids)
    source = ground_truth_source(str(spec.workspace.ground_truth), lambda: None)
    hours = source.hours()
    keys = {r.key for r in read_labels(window_blocks(source, Window(hours[0], hours[-1] + HOUR))).records}
    assert keys == set(result.inference_ids.values())
