"""YAML to plain data plus the location of every key, rejecting duplicate keys.

PyYAML silently keeps the last of two equal keys; a spec must not, so keys are checked while
walking the composed node tree. Locations are 1-based (line, column), like editors show them.

Loading is bounded (FS008) before anything is expanded: the text's size, the nesting depth, and
the number of values the document holds once aliases and merge keys are expanded (a "billion
laughs" document composes into a few nodes that expand to billions). Every number must be finite
(FS009): `.nan` and `.inf` are YAML floats that no spec field means.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from fraudspec.core.errors import Finding, FraudspecError, Location

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

PathKey = tuple  # a path into the document: ("endpoint", "serverless", "memory_mb"), list items by index
MAX_BYTES = 1024 * 1024  # a spec is a few kilobytes
MAX_VALUES = 100_000  # values once aliases are expanded
MAX_DEPTH = 64
LIMITS_HINT = "a spec is a few kilobytes of plain YAML: remove the repeated aliases or the generated content"


@dataclass(frozen=True)
class Source:
    """A parsed spec file: the data and where each path was written."""

    file: str
    data: Any
    locations: dict[PathKey, Location]

    def locate(self, path: PathKey) -> Location:
        """The location of `path`, or of its nearest located ancestor."""
        path = tuple(path)
        while path and path not in self.locations:
            path = path[:-1]
        return self.locations.get(path, Location(self.file, 1, 1))


def read_source(path: Path) -> Source:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FraudspecError(f"spec file {path} does not exist", location=Location(str(path)),
                             hint="pass --spec PATH, or run from the project directory", rule="FS001") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FraudspecError(f"cannot read spec file {path}: {exc}", location=Location(str(path)),
                             hint="check the file's permissions and that it is UTF-8 text", rule="FS001") from None
    return parse_source(text, str(path))


def parse_source(text: str, file: str) -> Source:
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise FraudspecError(f"the spec is larger than {MAX_BYTES // 1024} KiB", location=Location(file),
                             hint=LIMITS_HINT, rule="FS008")
    loader = _Loader(text)
    walker = _Walker(loader, file)
    try:
        node = loader.get_single_node()
        if node is not None:
            _check_expansion(node, file)
        data = walker.walk(node, ()) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        location = Location(file, mark.line + 1, mark.column + 1) if mark else Location(file)
        problem = " ".join(filter(None, [exc.context, exc.problem]))
        if exc.context_mark and mark is not exc.context_mark:
            problem += f" (the construct started at line {exc.context_mark.line + 1})"
        raise FraudspecError(
            f"invalid YAML: {problem}",
            location=location,
            hint="fix the YAML syntax at this position (indentation, quotes, colons)",
            rule="FS001",
        ) from None
    except yaml.YAMLError as exc:
        raise FraudspecError(
            f"invalid YAML: {exc}", location=Location(file), rule="FS001", hint="fix the YAML syntax"
        ) from None
    finally:
        loader.dispose()
    if walker.findings:
        raise FraudspecError(findings=walker.findings)
    return Source(file, data, walker.locations)


def _check_expansion(root: yaml.Node, file: str) -> None:
    """Counts the values `root` expands to (each node once, aliases by their memoised size, merge keys
    as the mappings they merge), stopping at the first limit crossed: linear in the composed nodes."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node, depth: int) -> int:
        if id(node) in sizes:
            return sizes[id(node)]
        if depth > MAX_DEPTH:
            raise FraudspecError(f"the spec nests deeper than {MAX_DEPTH} levels", location=_location(file, node),
                                 hint=LIMITS_HINT, rule="FS008")
        children = ([item for pair in node.value for item in pair] if isinstance(node, yaml.MappingNode)
                    else node.value if isinstance(node, yaml.SequenceNode) else [])
        total = 1 + sum(size(child, depth + 1) for child in children)
        if total > MAX_VALUES:
            raise FraudspecError(f"the spec expands to more than {MAX_VALUES:,} values (aliases or merge keys "
                                 "repeat content)", location=_location(file, node), hint=LIMITS_HINT, rule="FS008")
        sizes[id(node)] = total
        return total

    size(root, 0)


def _location(file: str, node: yaml.Node) -> Location:
    return Location(file, node.start_mark.line + 1, node.start_mark.column + 1)


class _Walker:
    def __init__(self, loader: Any, file: str) -> None:
        self.loader = loader
        self.file = file
        self.locations: dict[PathKey, Location] = {}
        self.findings: list[Finding] = []

    def _loc(self, node: yaml.Node) -> Location:
        return Location(self.file, node.start_mark.line + 1, node.start_mark.column + 1)

    def walk(self, node: yaml.Node, path: PathKey) -> Any:
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.locations[path + (index,)] = self._loc(item)
                items.append(self.walk(item, path + (index,)))
            return items
        value = self.loader.construct_object(node, deep=True)
        if isinstance(value, float) and not math.isfinite(value):
            self.findings.append(Finding("FS009", f"{node.value!r} is not a finite number", self._loc(node),
                                         "write a finite number; .nan and .inf mean nothing in a spec"))
        return value

    def _mapping(self, node: yaml.MappingNode, path: PathKey) -> dict:
        seen: dict[Any, Location] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                continue  # reported below as an unsupported key
            key = self.loader.construct_object(key_node, deep=True)
            here = self._loc(key_node)
            if key in seen:
                self.findings.append(
                    Finding(
                        "FS002",
                        f"duplicate key '{key}' (first written at line {seen[key].line})",
                        here,
                        "remove one of the two; YAML would silently keep only the last",
                    )
                )
            seen[key] = here
        self.loader.flatten_mapping(node)  # resolves `<<: *anchor` merge keys
        result: dict = {}
        for key_node, value_node in node.value:
            scalar = isinstance(key_node, yaml.ScalarNode)
            key = self.loader.construct_object(key_node, deep=True) if scalar else key_node.id
            if not isinstance(key, (str, int, float, bool)) or key is None or not scalar:
                shown = repr(key) if scalar else f"a {key}"
                self.findings.append(
                    Finding("FS001", f"unsupported mapping key {shown}", self._loc(key_node),
                            "keys must be plain strings")
                )
                continue
            key = str(key) if not isinstance(key, str) else key
            self.locations[path + (key,)] = self._loc(key_node)
            result[key] = self.walk(value_node, path + (key,))
        return result
