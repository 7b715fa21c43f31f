"""Where the local runtime finds its inputs and puts its outputs, under build/<env>/."""

from __future__ import annotations

from pathlib import Path

from fraudspec.monitor.alarm_files import read_alarm_states
from fraudspec.spec.model import Spec


def model_tar(spec: Spec) -> Path:
    return spec.build_dir / "model" / "model.tar.gz"


def capture_dir(spec: Spec) -> Path:
    return spec.build_dir / "capture"


def capture_environment(spec: Spec) -> dict[str, str]:
    """The handler's capture settings (see the artifact's code/capture.py)."""
    if not spec.capture.enabled:
        return {"FRAUDSPEC_CAPTURE_DESTINATION": ""}
    modes = [mode for mode, on in (("input", spec.capture.input), ("output", spec.capture.output)) if on]
    return {
        "FRAUDSPEC_CAPTURE_DESTINATION": capture_dir(spec).resolve().as_uri(),
        "FRAUDSPEC_CAPTURE_SAMPLING_PERCENT": str(spec.capture.sampling_percent),
        "FRAUDSPEC_ENDPOINT_NAME": spec.names.endpoint,
        "FRAUDSPEC_VARIANT_NAME": spec.endpoint.variant,
        "FRAUDSPEC_CAPTURE_MODES": ",".join(modes),
    }


def monitoring_dir(spec: Spec) -> Path:
    return spec.build_dir / "monitoring"


def reports_dir(spec: Spec) -> Path:
    return monitoring_dir(spec) / "reports"


def alarm_log(spec: Spec) -> Path:
    return spec.build_dir / "alarms.jsonl"


def alarm_state_file(spec: Spec) -> Path:
    return monitoring_dir(spec) / "alarm-state.json"


def alarm_states(spec: Spec) -> dict[str, str]:
    """Each local alarm's current state (none before the first monitoring run)."""
    return dict(read_alarm_states(alarm_state_file(spec)))
