"""The baseline of one environment: the build's training data profiled into statistics.json and constraints.json.

The training CSV (`build/<env>/data/train.csv`) has a header; feature columns are found by name and
every other column (the target) is ignored; an empty field is a missing value. Categorical features
are String features; numeric features are Integral when every value is, else Fractional.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from fraudspec.core import jsonfile
from fraudspec.core.errors import FraudspecError, Location
from fraudspec.core.files import write_atomic
from fraudspec.core.jsonfile import DocumentError
from fraudspec.monitoring.engine import constraints as constraints_file
from fraudspec.monitoring.engine import statistics as statistics_file
from fraudspec.monitoring.engine.constraints import Constraints, customize, suggest
from fraudspec.monitoring.engine.statistics import DatasetStatistics, InferredType, profile
from fraudspec.monitoring.engine.table import Table, TableBuilder, parse_csv_rows
from fraudspec.spec.model import MonitoringSpec, Spec

T = TypeVar("T")
CHUNK_BYTES = 4 << 20  # bytes per bulk-parsed chunk: a chunk with a value that is no number falls back alone


@dataclass(frozen=True)
class BaselinePaths:
    data: Path
    statistics: Path
    constraints: Path

    @classmethod
    def of(cls, spec: Spec) -> BaselinePaths:
        workspace = spec.workspace
        return cls(workspace.train_csv, workspace.statistics, workspace.constraints)


def read_training_csv(path: Path, features: Sequence[str], text_features: Iterable[str] = ()) -> Table:
    """The feature columns of a CSV with a header; FraudspecError when a feature has no column."""
    raw = path.read_bytes()
    if b"\r" in raw:
        raw = raw.replace(b"\r\n", b"\n")
    header_line, _, body = raw.partition(b"\n")
    header = [name.strip() for name in next(csv.reader([header_line.decode("utf-8-sig", errors="replace")]), [])]
    absent = [name for name in features if name not in header]
    if absent:
        raise FraudspecError(f"{path.name} has no column for feature(s) {', '.join(absent)}",
                             location=Location(str(path)), hint=f"its header is: {', '.join(header) or '(empty)'}")
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        raise FraudspecError(f"{path.name} has more than one column named {', '.join(duplicated)}",
                             location=Location(str(path)), hint="give every column its own name")
    builder = TableBuilder(header, text_features)
    if b'"' in body:  # quoted fields may hold commas and newlines: let the csv module read them
        for row in csv.reader(io.StringIO(body.decode("utf-8", errors="replace"))):
            if row:
                builder.add_positional(row)
    else:
        # Chunks parse on two threads (pyarrow and numpy release the GIL) and join the table in order.
        keep_text = builder.keep_text
        with ThreadPoolExecutor(2, thread_name_prefix="baseline-parse") as parser:
            for chunk, parsed in parser.map(lambda chunk: (chunk, parse_csv_rows(chunk, keep_text)), _row_chunks(body)):
                builder.add_parsed(chunk, parsed)
    table = builder.build()
    return Table(table.rows, {name: table.columns[name] for name in features}, (), ())


def _row_chunks(body: bytes) -> Iterator[bytes]:
    """The body's non-empty rows, newline-terminated, in chunks of about CHUNK_BYTES cut at a newline."""
    if b"\n\n" in body or body.startswith(b"\n"):
        body = re.sub(rb"\n\n+", b"\n", body).lstrip(b"\n")
    if body and not body.endswith(b"\n"):
        body += b"\n"
    start = 0
    while start < len(body):
        end = body.find(b"\n", min(start + CHUNK_BYTES, len(body) - 1)) + 1
        yield body[start:end]
        start = end


def compute_baseline(
    table: Table, categorical: Iterable[str], monitoring: MonitoringSpec, source: str = ""
) -> tuple[DatasetStatistics, Constraints]:
    """Statistics typed by the spec, and the suggested constraints customized by `monitoring`."""
    string_features = set(categorical)
    types: dict[str, InferredType] = {}
    for name, column in table.columns.items():
        if name in string_features:
            types[name] = "String" if column.present else "Unknown"
            continue
        if column.string:
            raise FraudspecError(f"numeric feature {name} has {column.string} value(s) that are not numbers",
                                 location=Location(source) if source else None,
                                 hint="fix the training data, or declare the feature `type: categorical`")
        types[name] = "Unknown" if not column.present else "Fractional" if column.fractional else "Integral"
    statistics = profile(table, types)
    return statistics, customize(suggest(statistics), monitoring)


def write_baseline(spec: Spec, data: Path | None = None) -> tuple[DatasetStatistics, Constraints, BaselinePaths]:
    """Profile the environment's training data (or `data`) and write both baseline files."""
    paths = BaselinePaths.of(spec)
    source = data or paths.data
    if not source.is_file():
        raise FraudspecError("training data not found", location=Location(str(source)),
                             hint=f"run `fraudspec build --env {spec.environment.name}` first")
    categorical = [f.name for f in spec.model.features if f.type == "categorical"]
    table = read_training_csv(source, spec.model.feature_names, categorical)
    if table.rows == 0:
        raise FraudspecError("the training data has no rows", location=Location(str(source)),
                             hint=f"run `fraudspec build --env {spec.environment.name}` again")
    statistics, constraints = compute_baseline(table, categorical, spec.monitoring, str(source))
    write_atomic(paths.statistics, jsonfile.dumps(statistics_file.to_json(statistics)))
    write_atomic(paths.constraints, jsonfile.dumps(constraints_file.to_json(constraints)))
    return statistics, constraints, BaselinePaths(source, paths.statistics, paths.constraints)


def load_baseline(statistics_path: Path, constraints_path: Path, env: str) -> tuple[DatasetStatistics, Constraints]:
    """Both baseline files (fraudspec's or Model Monitor's); FraudspecError names a missing or broken one."""
    hint = f"run `fraudspec baseline --env {env}` to write it"
    statistics = _read(statistics_path, "baseline statistics", hint, statistics_file.from_json)
    constraints = _read(constraints_path, "baseline constraints", hint, constraints_file.from_json)
    return statistics, constraints


def _read(path: Path, what: str, hint: str, reader: Callable[[Any], T]) -> T:
    document = jsonfile.load(path, what, hint)
    try:
        return reader(document)
    except DocumentError as error:
        raise FraudspecError(f"{what}: {error}", location=Location(str(path)),
                             hint="fix the file, or regenerate it with `fraudspec baseline`") from None
