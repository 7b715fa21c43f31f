"""The monitoring Lambda's configuration: the environment variables Terraform sets on it.

Shared by the renderer (which writes them) and the handler (which reads them), so the two cannot
drift apart. Standard library only: this module ships inside the Lambda zip.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

PREFIX = "FRAUDSPEC_"


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

    def to_environment(self) -> dict[str, str]:
        values = {}
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, bool):
                value = str(value).lower()
            elif isinstance(value, tuple):
                value = ",".join(value)
            values[PREFIX + field.name.upper()] = str(value)
        return values

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        missing = [PREFIX + f.name.upper() for f in fields(cls) if PREFIX + f.name.upper() not in environ]
        if missing:
            raise KeyError(f"the monitoring Lambda is missing environment variable(s): {', '.join(missing)}")
        raw: dict[str, Any] = {f.name: environ[PREFIX + f.name.upper()] for f in fields(cls)}
        raw.update(emit_metrics=raw["emit_metrics"] == "true", window_seconds=int(raw["window_seconds"]),
                   features=tuple(raw["features"].split(",")))
        return cls(**raw)
