"""SageMaker inference entry points for a fraudspec model: `model_fn` and `transform_fn`.

SageMaker's scikit-learn container imports this file as the top-level module `inference`
(SAGEMAKER_PROGRAM=inference.py) with `code/` on sys.path; fraudspec's own server imports
`code/` as a package (`fraudspec.artifact.loader`) so several models can share one process.
Only numpy and the standard library are needed.

`transform_fn` takes over the whole request, so every server answers the same statuses and
bodies: the container's own input_fn/output_fn path would turn any exception but its own
UnsupportedFormatError into a 500 HTML page. (A module defining transform_fn must not define
input_fn, predict_fn or output_fn: both of SageMaker's servers refuse the combination.)
`handle` is the request itself, server-neutral; the servers:
- sagemaker-containers (the images' gunicorn + Flask server, single-model endpoints): the
  request's headers are read from Flask, and a Flask response carries status and headers;
- the sagemaker-inference toolkit (multi-model server): a success returns (body, content type);
  an error raises the toolkit's own error carrying the status and the JSON body. The toolkit
  passes no request headers to transform_fn, so there the id is always generated;
- fraudspec's local runtime calls `handle` directly and sends `Reply.headers` itself.

Ids: every request gets one inference id, captured with it and returned in the response's
X-Amzn-SageMaker-Custom-Attributes header as `inference-id=<id>` (SageMaker hands that header
back to the caller as CustomAttributes). The caller chooses it by sending CustomAttributes
`inference-id=<id>` (SageMaker forwards CustomAttributes to the container verbatim), or, on the
local runtime, the X-Amzn-SageMaker-Inference-Id header; otherwise the handler generates one.

Capture (see capture.py) is configured by the FRAUDSPEC_* environment when model_fn runs.
`capturer` is the active capture.Capturer (None when off); its counters are for servers and tests.
"""

from __future__ import annotations

import http
import json
import logging
import sys
import uuid
from dataclasses import dataclass
from typing import Any

if __package__:
    from . import capture, payload, predictor
else:  # SageMaker imports code/inference.py as a top-level module
    import capture  # type: ignore[no-redef]
    import payload  # type: ignore[no-redef]
    import predictor  # type: ignore[no-redef]

PayloadError = payload.PayloadError
CUSTOM_ATTRIBUTES = "X-Amzn-SageMaker-Custom-Attributes"
ID_ATTRIBUTE = "inference-id"
MAX_ID_CHARS = 64  # InvokeEndpoint's InferenceId limit
MAX_RESPONSE_BYTES = 6 * 1024 * 1024  # InvokeEndpoint's response payload limit
JSON = "application/json"

log = logging.getLogger("fraudspec.handler")
capturer: capture.Capturer | None = None


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    content_type: str
    inference_id: str | None  # the id captured with this request; None when the caller's was refused

    @property
    def headers(self) -> dict[str, str]:
        return {CUSTOM_ATTRIBUTES: f"{ID_ATTRIBUTE}={self.inference_id}"} if self.inference_id else {}


def model_fn(model_dir: str) -> predictor.Model:
    global capturer
    model = predictor.load(model_dir)
    if capturer is not None:
        capturer.close()
    capturer = capture.from_environment()
    return model


def transform_fn(model: predictor.Model, data: Any, content_type: str | None, accept: str | None) -> Any:
    """The container's and the toolkit's entry point: one whole request. The server's own modules are
    taken from sys.modules (the server calling has loaded them), never imported: the tarball needs
    nothing but numpy."""
    flask = sys.modules.get("flask")
    if flask is not None and flask.has_request_context():  # sagemaker-containers (Flask under gunicorn)
        request = flask.request
        # The raw body: sagemaker-containers hands text types over decoded, invalid UTF-8 replaced. Its
        # own Request object read the stream and cached the bytes; Werkzeug files it in the environ.
        reader = request.environ.get("werkzeug.request", request)
        reply = handle(model, reader.get_data(), request.headers.get("Content-Type", content_type), accept,
                       request.headers.get(CUSTOM_ATTRIBUTES))
        response = flask.Response(response=reply.body, status=reply.status, headers=reply.headers)
        response.headers["Content-Type"] = reply.content_type  # exactly, without Flask's charset suffix
        return response
    reply = handle(model, data, content_type, accept)
    if reply.status == 200:
        return reply.body, reply.content_type
    errors = sys.modules["sagemaker_inference.errors"]  # the toolkit answers its own errors' status and message
    raise errors.GenericInferenceToolkitError(reply.status, reply.body.decode(), http.HTTPStatus(reply.status).phrase)


def handle(model: predictor.Model, body: Any, content_type: str | None, accept: str | None,
           custom_attributes: str | None = None, inference_id: str | None = None) -> Reply:
    """One request: parse, predict, render, capture. Never raises."""
    chosen = inference_id if inference_id is not None else _attribute(custom_attributes, ID_ATTRIBUTE)
    if chosen is not None and not _valid_id(chosen):
        return _error(400, f"inference id must be 1 to {MAX_ID_CHARS} visible ASCII characters without ';' "
                           f"or ',', got {len(chosen)} character(s)", None)
    request_id = chosen or str(uuid.uuid4())
    try:
        records = payload.parse(body, content_type, model.encoder)
        prediction = payload.Prediction(model.fraud_probability(records.raw), model.threshold, records.single)
        text, out_type = payload.render(prediction, accept)
    except PayloadError as error:
        return _error(error.status, str(error), request_id)
    except Exception:
        log.exception("the model failed on a request")
        return _error(500, "the model failed on this request; see the endpoint's log", request_id)
    out = text.encode("utf-8")
    if len(out) > MAX_RESPONSE_BYTES:
        # SageMaker cannot return it either: a server-side failure, with a message the caller can act on.
        return _error(500, f"the response would be {len(out)} bytes, over the {MAX_RESPONSE_BYTES}-byte (6 MB) "
                           "limit of InvokeEndpoint: send fewer records per request", request_id)
    if capturer is not None and not capturer.capture(body, content_type, out, out_type, request_id):
        if capturer.config.on_failure == capture.FAIL:
            return _error(503, "data capture could not be written; nothing was recorded: retry the request",
                          request_id)
    return Reply(200, out, out_type, request_id)


def _error(status: int, message: str, inference_id: str | None) -> Reply:
    return Reply(status, json.dumps({"error": message}).encode(), JSON, inference_id)


def _attribute(attributes: str | None, key: str) -> str | None:
    """`key`'s value in CustomAttributes written as `k=v` pairs separated by ';' or ','."""
    for part in (attributes or "").replace(",", ";").split(";"):
        name, sep, value = part.partition("=")
        if sep and name.strip().lower() == key:
            return value.strip()
    return None


def _valid_id(value: str) -> bool:
    return 0 < len(value) <= MAX_ID_CHARS and all("!" <= c <= "~" and c not in ";," for c in value)
