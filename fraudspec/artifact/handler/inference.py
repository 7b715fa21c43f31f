"""SageMaker inference entry points for a fraudspec model: model_fn, input_fn, predict_fn, output_fn.

SageMaker's scikit-learn container imports this file as the top-level module `inference`
(SAGEMAKER_PROGRAM=inference.py) with `code/` on sys.path; fraudspec's own server imports
`code/` as a package (`fraudspec.artifact.loader`) so several models can share one process.
Only numpy and the standard library are needed.

Errors: input_fn and output_fn raise `PayloadError` for a bad request (its `status` is 400,
or 413 / 415 / 406 for size, Content-Type and Accept); a server answers it with that status
and `str(error)`. (SageMaker's own scikit-learn server, sagemaker-containers, wraps any
exception from these functions in its ClientError and answers 500.)

Capture (see capture.py): configured by the FRAUDSPEC_* capture environment variables when
model_fn runs. Each request's input and output are captured in output_fn, after the response
body is ready and before it is returned. A caller's inference id (SageMaker's
X-Amzn-SageMaker-Inference-Id header) reaches the capture record through
`set_inference_id(value)`, called by the server in the request's thread before input_fn;
input_fn takes it, so it applies to that one request only.

State: input_fn is not given the model, so model_fn keeps the loaded model in this module
(one model per module instance); the request being answered is kept per thread. `capturer` is
the active capture.Capturer (None when capture is off); its `captured` and `failures` counters
are there for servers and tests.
"""

from __future__ import annotations

import threading

if __package__:
    from . import capture, payload, predictor
else:  # SageMaker imports code/inference.py as a top-level module
    import capture  # type: ignore[no-redef]
    import payload  # type: ignore[no-redef]
    import predictor  # type: ignore[no-redef]

PayloadError = payload.PayloadError

_model: predictor.Model | None = None
capturer: capture.Capturer | None = None
_request = threading.local()


def model_fn(model_dir: str) -> predictor.Model:
    global _model, capturer
    _model = predictor.load(model_dir)
    if capturer is not None:
        capturer.close()
    capturer = capture.from_environment()
    return _model


def set_inference_id(inference_id: str | None) -> None:
    """Tag the next request of this thread's capture record with the caller's inference id."""
    _request.pending_id = inference_id


def input_fn(input_data: bytes | str, content_type: str | None) -> payload.Records:
    if _model is None:
        raise RuntimeError("model_fn must run before input_fn")
    _request.current = (input_data, content_type, getattr(_request, "pending_id", None))
    _request.pending_id = None
    return payload.parse(input_data, content_type, _model.encoder)


def predict_fn(input_data: payload.Records, model: predictor.Model) -> payload.Prediction:
    return payload.Prediction(model.fraud_probability(input_data.raw), model.threshold, input_data.single)


def output_fn(prediction: payload.Prediction, accept: str | None) -> tuple[str, str]:
    """The response body and its content type."""
    body, content_type = payload.render(prediction, accept)
    current = getattr(_request, "current", None)
    _request.current = None
    if capturer is not None and current is not None:
        request_body, request_type, inference_id = current
        capturer.capture(request_body, request_type, body, content_type, inference_id)
    return body, content_type
