"""The local runtime serves an endpoint's variants as SageMaker does: production variants by weight or
by TargetVariant, named in InvokedProductionVariant; a shadow gets copies off the caller's path,
captured under its own variant folder with the production capture's inference id, never returned."""

from __future__ import annotations

import http.client
import io
import json
import random
import tarfile
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import ClientError

from fraudspec.artifact.pipeline import build
from fraudspec.client.aws import invoke as aws_invoke
from fraudspec.client.http import Request
from fraudspec.runtime.endpoint import Endpoint
from fraudspec.runtime.endpoint_metrics import KIND, summary
from fraudspec.runtime.http import InvocationsApp, app_for, bind, make_server
from fraudspec.runtime.variants import Served, TargetError, Variants
from fraudspec.spec.load import load_spec
from fraudspec.spec.model import Spec, Variant
from tests.small_model import SMALL_MODEL

pytestmark = pytest.mark.slow  # live servers on trained models
ROW = b"9,900.0,14,35.5,450.25"
SPEC = """\
name: fraud
team: rc
project: variants
{model}
endpoint:
  realtime: {{instance_type: ml.m5.large, instance_count: 1}}
  challengers:
    - variant: gbm
      mode: {mode}
      percent: {percent}
      model: {{algorithm: gradient_boosting, hyperparameters: {{max_iter: 20}}}}
monitoring:
  schedule: hourly
environments:
  local: {{target: local, port: 18080}}
"""


@dataclass
class Live:
    spec: Spec
    app: InvocationsApp
    url: str


def built(root: Path, mode: str, percent: int) -> Spec:
    """A spec with one challenger, every variant's model built by the cached pipeline."""
    path = root / "specs" / "fraud.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(SPEC.format(model=SMALL_MODEL, mode=mode, percent=percent))
    spec = load_spec(path, "local")
    for view in spec.variant_specs:
        build(view, progress=False)
    return spec


def serve(app: InvocationsApp) -> Iterator[str]:
    # The tests close metrics periods themselves: an hour-long period keeps the runtime's own ticker out.
    app.period_seconds = 3600
    sock = bind(0)
    server = make_server(app)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    for _ in range(200):
        try:
            urllib.request.urlopen(url + "/ping", timeout=1)
            break
        except OSError:
            time.sleep(0.05)
    yield url
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def ab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    spec = built(tmp_path_factory.mktemp("ab"), "ab", 30)
    app = app_for(spec, Variants.load(spec, random.Random(7)))
    for url in serve(app):
        yield Live(spec, app, url)


@pytest.fixture(scope="module")
def shadow(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    spec = built(tmp_path_factory.mktemp("shadow"), "shadow", 50)
    app = app_for(spec, Variants.load(spec, random.Random(11)))
    for url in serve(app):
        yield Live(spec, app, url)


@pytest.fixture
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "local")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "local")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")


def post(connection: http.client.HTTPConnection, path: str, headers: dict[str, str] | None = None,
         body: bytes = ROW) -> tuple[int, bytes, dict[str, str]]:
    connection.request("POST", path, body=body, headers={"Content-Type": "text/csv", **(headers or {})})
    response = connection.getresponse()
    return response.status, response.read(), {k.lower(): v for k, v in response.getheaders()}


def connect(url: str) -> http.client.HTTPConnection:
    return http.client.HTTPConnection(url.removeprefix("http://"), timeout=10)


def captured(spec: Spec, variant: str) -> dict[str, dict]:
    """The variant's capture records by inference id, read from its SageMaker-layout folder."""
    folder = spec.workspace.capture / spec.names.endpoint / variant
    records = [json.loads(line) for path in sorted(folder.rglob("*.jsonl")) for line in path.read_text().splitlines()]
    return {record["eventMetadata"]["inferenceId"]: record for record in records}


def test_production_variants_share_requests_by_weight(ab: Live) -> None:
    connection = connect(ab.url)
    answered: dict[str, int] = {}
    before = {name: len(captured(ab.spec, name)) for name in ("AllTraffic", "gbm")}
    for _ in range(1000):
        status, _, headers = post(connection, "/invocations")
        assert status == 200
        name = headers["x-amzn-invoked-production-variant"]
        answered[name] = answered.get(name, 0) + 1
    # 30 % of 1000: the binomial's standard deviation is 14.5 requests; five of them is the tolerance.
    assert set(answered) == {"AllTraffic", "gbm"} and abs(answered["gbm"] - 300) <= 73
    # Each answer is captured under the variant that gave it, and nowhere else.
    assert {name: len(captured(ab.spec, name)) - before[name] for name in answered} == answered


def test_target_variant_sends_to_that_production_variant_over_boto3(ab: Live, credentials) -> None:
    runtime = boto3.client("sagemaker-runtime", endpoint_url=ab.url)
    for target in ("gbm", "AllTraffic"):
        for _ in range(20):
            response = runtime.invoke_endpoint(EndpointName=ab.spec.names.endpoint, Body=ROW, ContentType="text/csv",
                                               TargetVariant=target)
            assert response["InvokedProductionVariant"] == target
            assert response["Body"].read().count(b",") == 2
    untargeted = {runtime.invoke_endpoint(EndpointName=ab.spec.names.endpoint, Body=ROW,
                                          ContentType="text/csv")["InvokedProductionVariant"] for _ in range(60)}
    assert untargeted == {"AllTraffic", "gbm"}


def test_the_aws_client_passes_target_variant_and_reads_the_invoked_one(ab: Live, credentials) -> None:
    """What `fraudspec invoke/traffic --variant` send on an aws target, against the local runtime."""
    runtime = boto3.client("sagemaker-runtime", endpoint_url=ab.url)
    for target in ("gbm", "AllTraffic"):
        answer = aws_invoke(runtime, ab.spec.names.endpoint, Request(ROW, "text/csv", "text/csv", "id-1", target))
        assert (answer.status, answer.variant, answer.inference_id) == (200, target, "id-1")
    refused = aws_invoke(runtime, ab.spec.names.endpoint, Request(ROW, "text/csv", target_variant="blue"))
    assert refused.status == 400 and b"Variant blue not found" in refused.body


def test_the_container_route_takes_the_target_header_too(ab: Live) -> None:
    connection = connect(ab.url)
    for _ in range(20):
        status, _, headers = post(connection, "/invocations", {"X-Amzn-SageMaker-Target-Variant": "gbm"})
        assert status == 200 and headers["x-amzn-invoked-production-variant"] == "gbm"


def test_an_unknown_or_shadow_target_is_a_validation_error(shadow: Live, credentials) -> None:
    runtime = boto3.client("sagemaker-runtime", endpoint_url=shadow.url)
    endpoint = shadow.spec.names.endpoint
    for target, says in (("blue", "Variant blue not found for endpoint"), ("gbm", "is a shadow variant")):
        with pytest.raises(ClientError) as refused:
            runtime.invoke_endpoint(EndpointName=endpoint, Body=ROW, ContentType="text/csv", TargetVariant=target)
        error = refused.value.response
        assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
        assert error["Error"]["Code"] == "ValidationError" and says in error["Error"]["Message"]
        assert "production variants are AllTraffic." in error["Error"]["Message"]
        status, body, headers = post(connect(shadow.url), "/invocations", {"X-Amzn-SageMaker-Target-Variant": target})
        assert status == 400 and headers["x-amzn-errortype"] == "ValidationError"
        assert says in json.loads(body)["message"]
    assert runtime.invoke_endpoint(EndpointName=endpoint, Body=ROW, ContentType="text/csv",
                                   TargetVariant="AllTraffic")["InvokedProductionVariant"] == "AllTraffic"


def test_the_shadow_gets_copies_captured_with_the_same_ids_and_never_returned(shadow: Live) -> None:
    spec, connection = shadow.spec, connect(shadow.url)
    ids = [f"txn-{uuid.uuid4().hex[:12]}" for _ in range(400)]
    answers = {}
    for index, inference_id in enumerate(ids):
        row = f"{index % 7},{100 + index},{index % 13},35.5,{10.0 + 3 * index}".encode()
        status, body, headers = post(connection, "/invocations", {"X-Amzn-SageMaker-Inference-Id": inference_id},
                                     row)
        assert status == 200 and headers["x-amzn-invoked-production-variant"] == "AllTraffic"
        answers[inference_id] = body.decode()
    assert shadow.app.shadow.wait(timeout=30)
    champion, copies = captured(spec, "AllTraffic"), captured(spec, "gbm")
    assert set(ids) <= set(champion)
    mirrored = set(ids) & set(copies)
    assert abs(len(mirrored) - 200) <= 50  # 50 % of 400 (sd 10); copies of other tests' requests aside
    # A request without an id: the copy is captured under the id the champion generated and captured.
    generated = []
    for _ in range(40):
        status, _, headers = post(connection, "/invocations")
        generated.append(headers["x-amzn-sagemaker-custom-attributes"].removeprefix("inference-id="))
    assert shadow.app.shadow.wait(timeout=30)
    copies = captured(spec, "gbm")
    assert 5 <= len(set(generated) & set(copies)) <= 35 and set(generated) <= set(captured(spec, "AllTraffic"))
    for inference_id in mirrored:  # the same request under the same id, each variant's own prediction
        assert copies[inference_id]["captureData"]["endpointInput"] == champion[inference_id]["captureData"][
            "endpointInput"]
    # Every caller got the champion's answer; the shadow's model answers differently, unseen.
    assert all(answers[i] == champion[i]["captureData"]["endpointOutput"]["data"] for i in ids)
    assert any(copies[i]["captureData"]["endpointOutput"]["data"] != answers[i] for i in mirrored)


def test_each_variant_has_its_own_endpoint_metrics(shadow: Live) -> None:
    connection = connect(shadow.url)
    shadow.app.shadow.wait(timeout=30)
    for metrics in shadow.app.variant_metrics.values():
        metrics.close_period()  # what earlier tests counted
    for _ in range(200):
        assert post(connection, "/invocations")[0] == 200
    assert shadow.app.shadow.wait(timeout=30)
    periods = {name: metrics.close_period() for name, metrics in shadow.app.variant_metrics.items()}
    assert {name: period.variant for name, period in periods.items()} == {"AllTraffic": "AllTraffic", "gbm": "gbm"}
    assert periods["AllTraffic"].invocations == 200 and 50 <= periods["gbm"].invocations <= 150
    assert shadow.app.on_period is not None
    for period in periods.values():
        shadow.app.on_period(period)  # what the runtime does at the end of each alarm period
    view = shadow.spec.for_variant("gbm")
    assert view.workspace.metrics_history(KIND) != shadow.spec.workspace.metrics_history(KIND)
    assert summary(view)["metrics"]["Invocations"] == periods["gbm"].invocations
    assert summary(shadow.spec)["metrics"]["Invocations"] == 200


FAILING_SHADOW = '''
import time

class PayloadError(ValueError):
    status = 400

def model_fn(model_dir):
    return None

def handle(model, body, content_type, accept, custom_attributes=None, inference_id=None):
    time.sleep(0.5)
    raise RuntimeError("the shadow model is broken")
'''


def failing_model(root: Path) -> Path:
    """A model in SageMaker's layout whose every prediction takes half a second and then raises."""
    tar_path = root / "failing.tar.gz"
    with tarfile.open(tar_path, "w:gz") as archive:
        data = FAILING_SHADOW.encode()
        info = tarfile.TarInfo("code/inference.py")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    return tar_path


def test_a_failing_shadow_never_affects_the_caller(shadow: Live, tmp_path: Path) -> None:
    spec = shadow.spec
    champion = Endpoint.load(spec.workspace.model_tar, tmp_path / "champion", {"FRAUDSPEC_CAPTURE_DESTINATION": ""})
    broken = Endpoint.load(failing_model(tmp_path), tmp_path / "broken", {})
    variants = Variants([Served(Variant("AllTraffic", "champion", 1.0, None, 1), champion),
                         Served(Variant("broken", "shadow", 1.0, None, 1), broken)], "ep")
    app = InvocationsApp(variants, endpoint_name="ep", shadow_backlog=3)
    for url in serve(app):
        connection = connect(url)
        slowest = 0.0
        for _ in range(10):
            began = time.perf_counter()
            status, body, headers = post(connection, "/endpoints/ep/invocations")
            slowest = max(slowest, time.perf_counter() - began)
            assert status == 200 and headers["x-amzn-invoked-production-variant"] == "AllTraffic" and body
        assert slowest < 0.25  # each copy takes the shadow 0.5 s: none of it is the caller's
        assert app.shadow.wait(timeout=30)
        shadow_period = app.variant_metrics["broken"].close_period()
        # The backlog holds 3 copies: the rest were dropped rather than queued without bound.
        assert shadow_period.errors_5xx == shadow_period.invocations == 10 - app.shadow.dropped >= 3
        assert app.variant_metrics["AllTraffic"].close_period().invocations == 10


def test_routing_draws_by_weight_and_refuses_what_sagemaker_refuses() -> None:
    variants = Variants([Served(Variant("a", "champion", 0.7, None, 1), None),
                         Served(Variant("b", "ab", 0.3, None, 1), None)], "ep", random.Random(3))
    drawn = [variants.route(None).name for _ in range(10_000)]
    assert abs(drawn.count("b") / len(drawn) - 0.3) < 0.02  # sd 0.0046
    assert variants.route("b").name == "b" and variants.shadow_copy(variants.champion) is None
    with pytest.raises(TargetError, match=r"Variant c not found for endpoint ep: its production variants are a, b\."):
        variants.route("c")
