"""The model behind SageMaker's container contract, loaded through the artifact's own handler.

Exactly what the scikit-learn container does: unpack model.tar.gz, import `code/inference.py`,
call model_fn once, then input_fn -> predict_fn -> output_fn per request. fraudspec never
re-implements prediction for the local endpoint, so it serves the very file AWS will run.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
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

    def invoke(
        self, body: bytes, content_type: str | None, accept: str | None, inference_id: str | None = None
    ) -> Response:
        handler = self._handler
        try:
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
