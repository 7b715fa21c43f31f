"""fraudspec's monitoring job on AWS: its configuration, the environment variables Terraform sets
on the Lambda, and the input that selects the model-quality job.

Shared by the renderer (fraudspec.render, which writes them) and the handler
(fraudspec.monitoring.jobs.lambda_entry, which reads them), so the two cannot drift apart. Standard
library only: this module ships inside the Lambda zip.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, fields, replace
from typing import Any

PREFIX = "FRAUDSPEC_"
MODEL_QUALITY = "model_quality"  # the `job` in the model-quality schedule's input
VARIANT = "variant"  # a challenger's schedules add `"variant": {field: value}` to their input
# What differs between the champion's job and a challenger's: the variant's capture folder, its
# baseline, and the schedule names its reports and metrics are filed under.
VARIANT_FIELDS = ("variant_name", "statistics_uri", "constraints_uri", "schedule_name", "quality_schedule_name")


@dataclass(frozen=True)
class Settings:
    statistics_uri: str  # the baseline statistics.json
    constraints_uri: str  # the baseline constraints.json
    capture_uri: str  # the capture destination; Model Monitor's layout below it
    reports_uri: str  # reports go to {reports_uri}/{endpoint}/{schedule}/yyyy/mm/dd/hh/
    endpoint_name: str
    variant_name: str
    schedule_name: str  # the report layout's and the metrics' MonitoringSchedule
    metric_namespace: str
    emit_metrics: bool
    window_seconds: int  # each run analyses [scheduled time - window, scheduled time)
    features: tuple[str, ...]  # the model's features, in order
    # Model quality (monitoring.model_quality); empty when the spec has none.
    quality_job: str = ""  # fraudspec.monitoring.quality QualityJob as JSON
    ground_truth_uri: str = ""  # labels under {ground_truth_uri}/yyyy/mm/dd/hh/
    quality_schedule_name: str = ""
    model_metric_namespace: str = ""
    quality_window_seconds: int = 0

    @property
    def has_model_quality(self) -> bool:
        return bool(self.quality_job)

    def variant_fields(self) -> dict[str, str]:
        """This job's per-variant settings: what a challenger's schedule input replaces."""
        return {name: getattr(self, name) for name in VARIANT_FIELDS}

    def for_variant(self, values: Mapping[str, str]) -> Settings:
        """The job of the variant a schedule's input names (`{}`: the champion's, these settings)."""
        unknown = sorted(set(values) - set(VARIANT_FIELDS))
        if unknown:
            raise ValueError(f"a schedule's variant input names unknown setting(s): {', '.join(unknown)}")
        changes: dict[str, Any] = dict(values)
        return replace(self, **changes)

    def to_environment(self) -> dict[str, str]:
        values = {}
        for field in fields(self):
            value = getattr(self, field.name)
            if field.default is not MISSING and value == field.default:
                continue  # an unused optional setting is left out of the function's environment
            if isinstance(value, bool):
                value = str(value).lower()
            elif isinstance(value, tuple):
                value = ",".join(value)
            values[PREFIX + field.name.upper()] = str(value)
        return values

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        required = [f for f in fields(cls) if f.default is MISSING]
        missing = [PREFIX + f.name.upper() for f in required if PREFIX + f.name.upper() not in environ]
        if missing:
            raise KeyError(f"the monitoring Lambda is missing environment variable(s): {', '.join(missing)}")
        raw: dict[str, Any] = {f.name: environ[PREFIX + f.name.upper()] for f in fields(cls)
                               if PREFIX + f.name.upper() in environ}
        raw.update(emit_metrics=raw["emit_metrics"] == "true", window_seconds=int(raw["window_seconds"]),
                   features=tuple(raw["features"].split(",")))
        if "quality_window_seconds" in raw:
            raw["quality_window_seconds"] = int(raw["quality_window_seconds"])
        return cls(**raw)
