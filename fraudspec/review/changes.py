"""Two states of one environment compared: spec fields, locked artifacts, Terraform, endpoint events.

The Terraform comparison is static (the rendered JSON, no provider, no state); which argument
changes replace a resource comes from the provider's documented behaviour for the resources where
that decides downtime or a new name. `fraudspec plan` gives Terraform's own answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from fraudspec.core.errors import FraudspecError
from fraudspec.core.plain_diff import ABSENT, differences, show
from fraudspec.cost.estimate import Estimate, estimate
from fraudspec.cost.report import change_line
from fraudspec.lock.layout import KINDS, SHORT_DIGEST, VARIANT_KINDS, Kind
from fraudspec.lock.model import LockedArtifact, LockEntry
from fraudspec.lock.stale import fix_hint, stale_artifacts, stale_message
from fraudspec.review.labels import Label, label
from fraudspec.review.state import EnvState
from fraudspec.review.variants import guarded_rename, variants_line

Action = Literal["create", "update", "replace", "delete"]
Status = Literal["added", "removed", "changed", "unchanged"]
ENDPOINT, ENDPOINT_CONFIG = "aws_sagemaker_endpoint", "aws_sagemaker_endpoint_configuration"
MODEL = "aws_sagemaker_model"
# Arguments whose change replaces the resource (None: every argument does) ...
FORCES_NEW: dict[str, frozenset[str] | None] = {
    MODEL: None,
    ENDPOINT_CONFIG: None,
    ENDPOINT: frozenset({"name"}),
    "aws_lambda_function": frozenset({"function_name"}),
    "aws_iam_role": frozenset({"name", "path"}),
    "aws_cloudwatch_metric_alarm": frozenset({"alarm_name"}),
    "aws_cloudwatch_log_group": frozenset({"name"}),
    "aws_scheduler_schedule": frozenset({"name"}),
    "aws_sns_topic": frozenset({"name"}),
}
# ... or every argument but these does.
FORCES_NEW_EXCEPT: dict[str, frozenset[str]] = {
    "aws_sagemaker_data_quality_job_definition": frozenset({"role_arn", "tags"}),
}
ENDPOINT_FLAGS = {
    "create": "a new endpoint is created",
    "delete": "the endpoint is deleted",
    "replace": "the endpoint is deleted and recreated: it is unavailable meanwhile",
}


@dataclass(frozen=True)
class FieldChange:
    label: Label
    before: Any
    after: Any

    def text(self, arrow: str) -> str:
        unit = f" {self.label.unit}" if self.label.unit else ""
        if self.before is ABSENT:
            return f"{self.label.text} {show(self.after)}{unit} (new)"
        if self.after is ABSENT:
            return f"{self.label.text} removed (was {show(self.before)}{unit})"
        return f"{self.label.text} {show(self.before)} {arrow} {show(self.after)}{unit}"


@dataclass(frozen=True)
class ArtifactChange:
    kind: Kind
    before: LockedArtifact | None
    after: LockedArtifact | None
    provenance: str  # "", "promoted from dev" or "built for staging"
    variant: str | None = None  # a challenger's own artifact; None: the champion's or the environment's

    def text(self, arrow: str) -> str:
        before, after = self.before, self.after
        said = f" ({self.provenance})" if self.provenance else ""
        what = self.kind if self.variant is None else f"challenger {self.variant} {self.kind}"
        if after is None:
            return f"{what} no longer locked (was {_digest(before)})"
        if before is None:
            return f"{what} {_digest(after)} (new{', ' + self.provenance if self.provenance else ''})"
        if before.sha256 != after.sha256:
            return f"{what} {_digest(before)} {arrow} {_digest(after)}{said}"
        if before.uri != after.uri:
            return f"{what} {_digest(after)} now at {after.uri}{said}"
        if before.spec_sha256 != after.spec_sha256:
            return f"{what} {_digest(after)} re-locked for the current spec{said}"
        return f"{what} {_digest(after)}{said}"


def _digest(artifact: LockedArtifact | None) -> str:
    return f"sha256:{artifact.sha256[:SHORT_DIGEST]}" if artifact else "nothing"


@dataclass(frozen=True)
class ResourceChange:
    address: str
    action: Action
    attributes: tuple[tuple[str, Any, Any], ...] = ()  # (path, before, after) of an update or replacement

    @property
    def type(self) -> str:
        parts = self.address.split(".")
        return parts[1] if parts[0] == "data" else parts[0]


@dataclass(frozen=True)
class EnvDiff:
    env: str
    status: Status
    terraform_dir: str
    spec: tuple[FieldChange, ...] = ()
    artifacts: tuple[ArtifactChange, ...] = ()
    resources: tuple[ResourceChange, ...] = ()
    flags: tuple[str, ...] = ()  # the endpoint is replaced, deleted, created, or switches kind
    notes: tuple[str, ...] = ()  # the endpoint is updated in place
    warnings: tuple[str, ...] = ()  # the lock does not match this spec
    cost: tuple[str, ...] = ()  # the monthly cost, old and new (fraudspec.cost), with each arrow
    cost_totals: tuple[float | None, float | None] | None = None  # dollars a month, old and new; None: unknown
    variants: tuple[str, ...] = ()  # the endpoint's variants and shares, old and new, with each arrow

    def lines(self, arrow: str) -> list[str]:
        """The spec's and the lock's changes, one line each."""
        return [change.text(arrow) for change in self.spec] + [change.text(arrow) for change in self.artifacts]

    def summary(self, arrow: str) -> str:
        if self.status == "added":
            return "new environment"
        if self.status == "removed":
            return "environment removed"
        parts = self.lines(arrow)
        if not parts and self.resources:
            parts = [f"Terraform only ({len(self.resources)} changes)"]
        return "; ".join(parts) or "no changes"


def diff_environment(env: str, before: EnvState | None, after: EnvState | None) -> EnvDiff:
    assert before is not None or after is not None, "an environment is in at least one of the two versions"
    status: Status = "added" if before is None else "removed" if after is None else "changed"
    spec: list[FieldChange] = []
    if before is not None and after is not None:
        for path, old, new in differences(before.plain_spec(), after.plain_spec(), by_name=True):
            found = label(path)
            if found is not None:
                spec.append(FieldChange(found, old, new))
    artifacts = _artifact_changes(env, before.entry if before else None, after.entry if after else None)
    resources = _resource_changes(before.terraform if before else {}, after.terraform if after else {})
    flags, notes = _endpoint_events(before, after, resources)
    if status == "changed" and not (spec or artifacts or resources):
        status = "unchanged"
    cost, totals = ((), None) if status == "unchanged" else _cost(env, before, after)
    old, new = (before.spec if before else None), (after.spec if after else None)
    shown = tuple(line for line in (variants_line(old, new, arrow) for arrow in ("->", "→")) if line is not None)
    return EnvDiff(env, status, f"terraform/{env}", tuple(spec), artifacts, resources, flags, notes,
                   _warnings(after), cost, totals, () if status == "unchanged" else shown)


def _cost(env: str, before: EnvState | None, after: EnvState | None
          ) -> tuple[tuple[str, ...], tuple[float | None, float | None] | None]:
    """The cost line with each arrow, and the totals (None where an environment is absent or local)."""
    try:
        old, new = _estimate(before), _estimate(after)
    except FraudspecError as error:  # a price the table lacks: say so, never fail the review
        return (f"{env}: cost unknown: {error}",) * 2, None
    totals = tuple(None if side is None else round(side.total, 2) for side in (old, new))
    return tuple(change_line(env, old, new, arrow) for arrow in ("->", "→")), (totals[0], totals[1])


def _estimate(state: EnvState | None) -> Estimate | None:
    return estimate(state.spec) if state is not None and state.spec.environment.target == "aws" else None


def diff_states(before: Mapping[str, EnvState], after: Mapping[str, EnvState]) -> list[EnvDiff]:
    names = [*after, *(name for name in before if name not in after)]
    return [diff_environment(name, before.get(name), after.get(name)) for name in names]


def _artifact_changes(env: str, before: LockEntry | None, after: LockEntry | None) -> tuple[ArtifactChange, ...]:
    source = after.promoted_from if after else None
    was = before.promoted_from if before else None
    provenance = f"promoted from {source}" if source else f"built for {env}" if was else ""
    found = []
    for kind in KINDS:
        old = before.artifacts.get(kind) if before else None
        new = after.artifacts.get(kind) if after else None
        if old != new or (new is not None and source != was):
            found.append(ArtifactChange(kind, old, new, provenance))
    old_variants, new_variants = (before.variants if before else {}), (after.variants if after else {})
    for name in [*new_variants, *(name for name in old_variants if name not in new_variants)]:
        for kind in VARIANT_KINDS:
            old = old_variants.get(name, {}).get(kind)
            new = new_variants.get(name, {}).get(kind)
            if old != new or (new is not None and source != was):
                found.append(ArtifactChange(kind, old, new, provenance, name))
    return tuple(found)


def _resource_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[ResourceChange, ...]:
    found = []
    for address in [*after, *(address for address in before if address not in after)]:
        old, new = before.get(address, ABSENT), after.get(address, ABSENT)
        if old == new:
            continue
        if old is ABSENT:
            found.append(ResourceChange(address, "create"))
        elif new is ABSENT:
            found.append(ResourceChange(address, "delete"))
        else:
            attributes = tuple(differences(old, new, json_strings=True))
            change = ResourceChange(address, "update", attributes)
            if _replaced(change.type, {path.split(".")[0].split("[")[0] for path, _, _ in attributes}):
                change = ResourceChange(address, "replace", attributes)
            found.append(change)
    return tuple(sorted(found, key=lambda change: (_block_order(change.address), change.address)))


def _replaced(kind: str, arguments: set[str]) -> bool:
    if kind in FORCES_NEW_EXCEPT:
        return bool(arguments - FORCES_NEW_EXCEPT[kind])
    forcing = FORCES_NEW.get(kind, frozenset())
    return forcing is None or bool(arguments & forcing)


def _block_order(address: str) -> int:
    """Resources first, then the provider, data sources, variables, outputs, settings."""
    for order, prefix in enumerate(("provider.", "data.", "var.", "output.", "terraform"), start=1):
        if address.startswith(prefix):
            return order
    return 0


def _endpoint_events(before: EnvState | None, after: EnvState | None,
                     resources: tuple[ResourceChange, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    flags = []
    endpoint = next((change for change in resources if change.type == ENDPOINT), None)
    if endpoint is not None and endpoint.action in ENDPOINT_FLAGS:
        flags.append(ENDPOINT_FLAGS[endpoint.action])
    if before is not None and after is not None:
        old, new = before.spec.endpoint.kind, after.spec.endpoint.kind
        if old != new:
            flags.append(f"the endpoint switches from {old} to {new}" + (
                ", which SageMaker cannot do in place: it must be deleted and recreated (downtime)"
                if new == "serverless" else ", one way only: going back means deleting and recreating it"))
        refused = guarded_rename(before.spec, after.spec)
        if refused is not None and f"{ENDPOINT}.endpoint" in before.terraform:
            flags.append(refused)
    notes = []
    moves = any(change.type in (MODEL, ENDPOINT_CONFIG) for change in resources)
    if moves and not flags and after is not None and f"{ENDPOINT}.endpoint" in after.terraform:
        scaled = any(address.startswith("aws_appautoscaling_target.") for address in after.terraform)
        notes.append("the endpoint moves to a new configuration in place (no downtime)"
                     + ("; an auto-scaled instance count returns to the configured one" if scaled else ""))
    return tuple(flags), tuple(notes)


def _warnings(after: EnvState | None) -> tuple[str, ...]:
    if after is None or after.spec.environment.target != "aws":
        return ()
    if after.entry is None:
        env = after.spec.environment.name
        return (f"nothing is locked for {env}: run `fraudspec build --env {env}` or `fraudspec promote`",)
    stale = stale_artifacts(after.spec, after.entry)
    return (f"{stale_message(after.spec, stale)} ({fix_hint(after.spec, after.entry, stale)})",) if stale else ()
