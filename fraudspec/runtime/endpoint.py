"""The model behind SageMaker's container contract, loaded through the artifact's own handler.

Exactly what the scikit-learn container does: unpack model.tar.gz, import `code/inference.py`,
call model_fn once, then per request the handler's whole-request entry (`handle`, what its
transform_fn runs in the container), or input_fn -> predict_fn -> output_fn for a handler
without one. fraudspec never re-implements prediction for the local endpoint, so it serves the
very file AWS will run.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import ModuleType
from typing import Any

from fraudspec.artifact.loader import extract, load_handler
from fraudspec.core.errors import FraudspecError

log = logging.getLogger("fraudspec.endpoint")


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    content_type: str
    headers: Mapping[str, str] = field(default_factory=dict)
    model_seconds: float = 0.0  # time inside the model's code: CloudWatch's ModelLatency
    inference_id: str | None = None  # the id captured with the request (a shadow's copy is captured under it)


class Endpoint:
    def __init__(self, handler: ModuleType, model: Any) -> None:
        self._handler = handler
        self._model = model
        self._payload_error = getattr(handler, "PayloadError", ())

    @classmethod
    def load(cls, model_tar: Path, model_dir: Path, environment: Mapping[str, str]) -> Endpoint:
        """Unpacks and loads the artifact; `environment` (capture settings) is set before model_fn."""
        os.environ.update(environment)
        try:
            extract(model_tar, model_dir)
            handler = load_handler(model_dir)
            model = handler.model_fn(str(model_dir))
        except Exception as exc:
            raise FraudspecError(
                f"the model in {model_tar} cannot be loaded: {exc}",
                hint="rebuild it with `fraudspec build --env local`; never edit a built artifact",
            ) from None
        return cls(handler, model)

    @property
    def capture_failures(self) -> int:
        capturer = getattr(self._handler, "capturer", None)
        return capturer.failures if capturer is not None else 0

    def invoke(self, body: bytes, content_type: str | None, accept: str | None, inference_id: str | None = None,
               custom_attributes: str | None = None) -> Response:
        began = time.perf_counter()
        if hasattr(self._handler, "handle"):  # fraudspec's handler: the whole request, as in the container
            reply = self._handler.handle(self._model, body, content_type, accept, custom_attributes, inference_id)
            response = Response(reply.status, reply.body, reply.content_type, reply.headers,
                                inference_id=reply.inference_id)
        else:
            response = replace(self._classic(body, content_type, accept, inference_id), inference_id=inference_id)
        return replace(response, model_seconds=time.perf_counter() - began)

    def _classic(self, body: bytes, content_type: str | None, accept: str | None, inference_id: str | None) -> Response:
        """A handler with input_fn/predict_fn/output_fn, called as the container calls them."""
        handler = self._handler
        try:
            if hasattr(handler, "set_inference_id"):
                handler.set_inference_id(inference_id)
            data = handler.input_fn(body, content_type)
            prediction = handler.predict_fn(data, self._model)
            result = handler.output_fn(prediction, accept)
        except self._payload_error as error:
            status = getattr(error, "status", 400)
            return Response(status, _error_body(str(error)), "application/json")
        except Exception:
            log.exception("model failed on a request")
            return Response(
                500, _error_body("the model failed on this request; see the runtime log"), "application/json"
            )
        body_out, out_type = result if isinstance(result, tuple) else (result, accept or "application/json")
        return Response(200, body_out.encode() if isinstance(body_out, str) else body_out, out_type)


def _error_body(message: str) -> bytes:
    return json.dumps({"error": message}).encode()
