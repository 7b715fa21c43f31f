"""Every path fraudspec keeps under `build/<spec>/<env>/` (never committed), defined once.

`spec.workspace` is the workspace of a spec's environment: `<spec>` is the spec file's name without
its extension, so two specs of one project never share a model, a baseline, capture or a runtime.
The lock's layout names the four deployed artifacts by their paths relative to it (`MODEL_TAR`, ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

BUILD = "build"  # the folder, beside the spec's project, that holds every spec's environments' workspaces
MODEL_TAR = Path("model/model.tar.gz")
STATISTICS = Path("monitoring/statistics.json")
CONSTRAINTS = Path("monitoring/constraints.json")
MONITOR_LAMBDA = Path("lambda/monitor.zip")
MONITOR_GLUE = Path("glue/monitor.zip")  # the monitoring job's code for AWS Glue (monitoring.runner glue)


@dataclass(frozen=True)
class Workspace:
    """A variant's model, baseline and monitoring live in its own folder (the champion's is the root,
    a challenger's `variants/<name>/`); capture, labels and the runtime are the endpoint's, shared."""

    root: Path  # build/<spec>/<env>
    variant: str | None = None  # a challenger's workspace (Spec.for_variant); None: the champion's

    @classmethod
    def of(cls, project: Path, spec_file: Path, environment: str, variant: str | None = None) -> Workspace:
        return cls(project / BUILD / spec_file.stem / environment, variant)

    @property
    def own(self) -> Path:
        """The folder of this variant's artifacts and monitoring state."""
        return self.root if self.variant is None else self.root / "variants" / self.variant

    # build: training data and the model artifact
    @property
    def train_csv(self) -> Path:
        return self.own / "data" / "train.csv"

    @property
    def validation_csv(self) -> Path:
        return self.own / "data" / "validation.csv"

    @property
    def model_tar(self) -> Path:
        return self.own / MODEL_TAR

    @property
    def model_manifest(self) -> Path:
        return self.own / "model" / "manifest.json"

    @property
    def model_metrics(self) -> Path:
        return self.own / "model" / "metrics.json"

    @property
    def build_cache(self) -> Path:
        """The cache key and digest of the last build (fraudspec.artifact.pipeline)."""
        return self.own / "model" / "build-cache.json"

    @property
    def monitor_lambda(self) -> Path:
        return self.root / MONITOR_LAMBDA

    @property
    def monitor_glue(self) -> Path:
        return self.root / MONITOR_GLUE

    # monitoring: the baseline, reports, metric history and alarm state
    @property
    def monitoring(self) -> Path:
        return self.own / "monitoring"

    @property
    def statistics(self) -> Path:
        return self.own / STATISTICS

    @property
    def constraints(self) -> Path:
        return self.own / CONSTRAINTS

    @property
    def reports(self) -> Path:
        return self.monitoring / "reports"

    def metrics_history(self, kind: str) -> Path:
        """One line per run of `kind` (data or quality): the alarms' datapoints."""
        return self.monitoring / f"{kind}-metrics.jsonl"

    def cursor(self, kind: str) -> Path:
        """How far the previous on-demand run of `kind` read each capture file."""
        return self.monitoring / f"{kind}-cursor.json"

    @property
    def monitoring_lock(self) -> Path:
        return self.monitoring / ".lock"

    @property
    def alarm_states(self) -> Path:
        return self.monitoring / "alarm-state.json"

    @property
    def alarm_log(self) -> Path:
        return self.root / "alarms.jsonl"

    # the local runtime: captured traffic, labels, its process
    @property
    def capture(self) -> Path:
        return self.root / "capture"

    @property
    def ground_truth(self) -> Path:
        return self.root / "ground-truth"

    @property
    def runtime_info(self) -> Path:
        return self.root / "runtime.json"

    @property
    def runtime_lock(self) -> Path:
        """Held while `apply` builds and (re)starts the runtime: two applies at once take turns."""
        return self.root / "runtime.lock"

    @property
    def runtime_log(self) -> Path:
        return self.root / "runtime.log"

    @property
    def runtime_model(self) -> Path:
        return self.own / "runtime" / "model"


def wheel_cache(project: Path) -> Path:
    """Downloaded wheels shared by every environment (the monitoring Lambda's numpy)."""
    return project / BUILD / "cache" / "lambda-wheels"
