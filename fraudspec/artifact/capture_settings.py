"""The handler's capture settings as environment variables: the contract between whoever starts the
model (the local runtime, the rendered SageMaker model) and the artifact's `code/capture.py`."""

from __future__ import annotations

from fraudspec.artifact.handler import capture as handler_capture
from fraudspec.spec.model import Spec


def capture_environment(spec: Spec, destination: str) -> dict[str, str]:
    """Capture to `destination` (file:///dir, s3://bucket/prefix or firehose://stream) as the spec asks; off: an
    empty destination.
    The KMS key applies to s3:// writes only (SSE-KMS); local files are left to the disk's own encryption.
    s3:// (the rendered model) also names the namespace the handler publishes CaptureFailures to."""
    if not spec.capture.enabled:
        return {handler_capture.ENV_DESTINATION: ""}
    wanted = (spec.capture.input, spec.capture.output)
    kms = {handler_capture.ENV_KMS_KEY: spec.capture.kms_key_arn} if spec.capture.kms_key_arn else {}
    # On AWS the handler publishes its capture failures; the local runtime counts them itself.
    metrics = {handler_capture.ENV_METRICS_NAMESPACE: spec.names.capture_metric_namespace} \
        if destination.startswith(("s3://", "firehose://")) else {}
    return {
        **kms,
        **metrics,
        handler_capture.ENV_ON_FAILURE: spec.capture.on_failure,
        handler_capture.ENV_DESTINATION: destination,
        handler_capture.ENV_SAMPLING_PERCENT: str(spec.capture.sampling_percent),
        handler_capture.ENV_MODES: ",".join(mode for mode, on in zip(handler_capture.MODES, wanted, strict=True) if on),
        handler_capture.ENV_ENDPOINT: spec.names.endpoint,
        handler_capture.ENV_VARIANT: spec.variant.name,  # a challenger's view captures under its own variant
    }
