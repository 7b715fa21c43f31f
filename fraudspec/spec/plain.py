"""A `Spec` as plain data: for digests of what was deployed (`to_plain`), and as the spec file that
`fraudspec show` prints (`shown_spec`: the effective document of one environment, valid on its own,
with where each value came from)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from fraudspec.spec.defaults import with_defaults
from fraudspec.spec.merge import ENVIRONMENTS, OVERRIDES, effective_source
from fraudspec.spec.model import CsvData, Spec, SyntheticData
from fraudspec.spec.yaml_source import Source, read_source


def to_plain(value: Any) -> Any:
    # Training data is written `{csv: PATH}` or `{synthetic: {...}}` in a spec; show it the same way.
    if isinstance(value, CsvData):
        return {"csv": str(value.path)}
    if isinstance(value, SyntheticData):
        return {"synthetic": dataclasses.asdict(value)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: to_plain(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(key): to_plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(item) for item in value]
    if isinstance(value, Path):
        return str(value)
    return value


def spec_digest(spec: Spec) -> str:
    """sha256 of the effective spec, independent of where the repository lives."""
    plain = to_plain(spec)
    plain.pop("path")
    return hashlib.sha256(json.dumps(plain, sort_keys=True).encode()).hexdigest()


# --- `fraudspec show`: the effective spec of one environment, as a spec that validates unchanged ---

Origin = Literal["base", "environment", "override", "default"]
# Schema defaults that mean nothing on the other target: shown only when the spec writes them.
_TARGET_ONLY = {"port": "local", "role": "aws", "state": "aws"}


@dataclass(frozen=True)
class Provenance:
    """Where a shown value came from: the base spec, the environment's own entry, its overrides, or a
    default (the schema's, or one derived from another field); `line` where it is written."""

    origin: Origin
    line: int | None = None


@dataclass(frozen=True)
class Shown:
    document: dict[str, Any]  # a spec declaring only this environment, with nothing left to merge or default
    provenance: dict[tuple, Provenance]  # per leaf path of `document`


def shown_spec(spec: Spec) -> Shown:
    """The effective spec of `spec`'s environment as a spec file would write it (base, overrides and
    defaults merged; `role`, not an ARN field; schedules as written), and where each value came from."""
    env = spec.environment.name
    source = read_source(spec.path)
    merged = with_defaults(effective_source(source, env)).data
    entry = {key: value for key, value in merged[ENVIRONMENTS][env].items() if key != OVERRIDES}
    written = source.data[ENVIRONMENTS][env] or {}
    for key, target in _TARGET_ONLY.items():
        if key not in written and entry["target"] != target:
            entry.pop(key, None)
    document = {key: value for key, value in merged.items() if key != ENVIRONMENTS}
    document[ENVIRONMENTS] = {env: entry}
    derived = _derived_defaults(spec, document)
    overrides = (written.get(OVERRIDES) or {}) if isinstance(written, dict) else {}
    provenance = {}
    for path in _leaves(document, ()):
        provenance[path] = Provenance("default") if path in derived else _origin(source, overrides, env, path)
    return Shown(document, provenance)


def _derived_defaults(spec: Spec, document: dict[str, Any]) -> set[tuple]:
    """Defaults the parser derives from other fields, written out so the shown spec needs none."""
    derived: set[tuple] = set()
    quality, shown_quality = spec.monitoring.model_quality, document["monitoring"].get("model_quality")
    if quality is not None and isinstance(shown_quality, dict) and "probability_threshold" not in shown_quality:
        shown_quality["probability_threshold"] = quality.probability_threshold
        derived.add(("monitoring", "model_quality", "probability_threshold"))
    state, shown_state = spec.environment.state, document[ENVIRONMENTS][spec.environment.name].get("state")
    if state.backend == "s3" and isinstance(shown_state, dict):
        for key in ("key", "region"):
            if key not in shown_state and getattr(state, key) is not None:
                shown_state[key] = getattr(state, key)
                derived.add((ENVIRONMENTS, spec.environment.name, "state", key))
    return derived


def _origin(source: Source, overrides: Any, env: str, path: tuple) -> Provenance:
    if path[:2] == (ENVIRONMENTS, env):
        found = _lookup(source.data, path)
        return Provenance("environment", source.locate(path).line) if found else Provenance("default")
    if _lookup(overrides, path):
        return Provenance("override", source.locate((ENVIRONMENTS, env, OVERRIDES, *path)).line)
    if _replaced(overrides, path):
        return Provenance("default")  # under a list or value the override replaced, and not written there
    if _lookup(source.data, path):
        return Provenance("base", source.locate(path).line)
    return Provenance("default")


def _lookup(data: Any, path: tuple) -> bool:
    for step in path:
        if isinstance(data, dict) and step in data:
            data = data[step]
        elif isinstance(data, list) and isinstance(step, int) and step < len(data):
            data = data[step]
        else:
            return False
    return True


def _replaced(data: Any, path: tuple) -> bool:
    """Whether an override writes a list or value (not a mapping to merge) at a proper prefix of `path`."""
    for step in path[:-1]:
        if not (isinstance(data, dict) and step in data):
            return False
        data = data[step]
        if not isinstance(data, dict):
            return True
    return False


def _leaves(value: Any, path: tuple) -> Iterator[tuple]:
    if isinstance(value, dict) and value:
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list) and value:
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))
    else:
        yield path


def dotted(path: tuple) -> str:
    """("model", "features", 0, "name") as model.features[0].name."""
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


def to_yaml(document: Any, comments: Mapping[tuple, str] | None = None) -> str:
    """Block-style YAML of plain data, with an optional end-of-line comment per leaf path."""
    lines: list[str] = []
    _emit(document, (), 0, comments or {}, lines)
    return "\n".join(lines) + "\n"


def _emit(value: Any, path: tuple, indent: int, comments: Mapping[tuple, str], lines: list[str]) -> None:
    pad = " " * indent
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in items:
        here = (*path, key)
        label = f"{pad}{_scalar(key)}:" if isinstance(value, dict) else f"{pad}-"
        if isinstance(item, (dict, list)) and item:
            if isinstance(value, list) and isinstance(item, dict):  # "- first: x" then the rest under it
                start = len(lines)
                _emit(item, here, indent + 2, comments, lines)
                lines[start] = f"{pad}- {lines[start][indent + 2:]}"
                continue
            lines.append(label)
            _emit(item, here, indent + 2, comments, lines)
            continue
        comment = f"  # {comments[here]}" if here in comments else ""
        lines.append(f"{label} {_scalar(item)}{comment}")


def _scalar(value: Any) -> str:
    """One value as YAML writes it in flow context: quoted only when it must be."""
    import yaml

    flow = yaml.safe_dump([value], default_flow_style=True, width=10**9, allow_unicode=True).strip()
    return flow[1:-1]
