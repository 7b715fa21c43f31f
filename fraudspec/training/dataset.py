"""The typed table every build step passes around: features, values, labels.

CSV files have a header; columns are found by name (others are ignored), an empty field is a
missing value, the target is 0 or 1. Written CSVs are deterministic: the header is the features
in spec order then the target; integral numbers print as integers, others as `repr` (both read
back to the identical float); missing values are empty fields; lines end in "\\n".
"""

from __future__ import annotations

import csv
import errno
import io
import math
import os
import re
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from fraudspec.core.errors import Finding, FraudspecError, Location
from fraudspec.core.files import write_atomic
from fraudspec.spec.model import Feature, frozen_map

MAX_FINDINGS = 20  # stop reading a broken CSV after this many problems
RULE = "FS701"  # a data file that cannot be read as the spec's features and target
_EXACT_INT = 2.0**53


@dataclass(frozen=True, eq=False)
class Dataset:
    """Rows of feature values with a 0/1 label.

    `X` is float64 (rows x features): numbers as they are, NaN for missing; a categorical
    column holds indices into `categories[name]` (the sorted values that occur, for data that
    was read or generated; drift appends new ones).
    """

    features: tuple[Feature, ...]
    target: str
    X: np.ndarray
    y: np.ndarray
    categories: Mapping[str, tuple[str, ...]] = field(default_factory=frozen_map)

    def __post_init__(self) -> None:
        if self.X.ndim != 2 or self.X.shape[1] != len(self.features) or self.y.shape != (self.X.shape[0],):
            raise ValueError(f"X {self.X.shape} and y {self.y.shape} do not fit {len(self.features)} features")

    @classmethod
    def from_columns(
        cls, features: Sequence[Feature], target: str, columns: Mapping[str, Sequence | np.ndarray],
        y: Sequence[int] | np.ndarray,
    ) -> Dataset:
        """Build from one sequence per feature: floats (NaN missing) or strings (None missing)."""
        labels = np.asarray(y, dtype=np.int64)
        X = np.empty((len(labels), len(features)))
        categories = {}
        for j, feature in enumerate(features):
            if feature.type == "categorical":
                values = list(columns[feature.name])
                vocabulary = tuple(sorted({v for v in values if v is not None}))
                index = {v: float(i) for i, v in enumerate(vocabulary)}
                X[:, j] = [math.nan if v is None else index[v] for v in values]
                categories[feature.name] = vocabulary
            else:
                X[:, j] = np.asarray(columns[feature.name], dtype=np.float64)
        return cls(tuple(features), target, X, labels, frozen_map(categories))

    @property
    def feature_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.features)

    def __len__(self) -> int:
        return len(self.y)

    @property
    def fraud_rate(self) -> float:
        return float(self.y.mean()) if len(self) else 0.0

    def column(self, name: str) -> np.ndarray:
        """One feature's values: float64 for numeric features, objects (str, None missing) for categorical."""
        j = self.feature_names.index(name)
        if name not in self.categories:
            return self.X[:, j]
        vocabulary = np.array(self.categories[name] + (None,), dtype=object)
        codes = self.X[:, j]
        return vocabulary[np.where(np.isnan(codes), len(vocabulary) - 1, codes).astype(np.intp)]

    def take(self, rows: np.ndarray) -> Dataset:
        return Dataset(self.features, self.target, self.X[rows], self.y[rows], self.categories)

    def split(self, validation_fraction: float, seed: int) -> tuple[Dataset, Dataset]:
        """(train, validation), stratified by label and reproducible by seed; rows keep their order."""
        rng = np.random.default_rng(seed)
        validation = np.zeros(len(self), dtype=bool)
        for label in (0, 1):
            members = np.flatnonzero(self.y == label)
            count = round(len(members) * validation_fraction)
            validation[rng.permutation(members)[:count]] = True
        return self.take(~validation), self.take(validation)

    def matrix(self, categories: Mapping[str, Sequence[str]]) -> np.ndarray:
        """X with categorical columns re-coded against `categories` (a model's); others become NaN."""
        if not self.categories:
            return self.X
        X = self.X.copy()
        for j, feature in enumerate(self.features):
            if feature.name not in self.categories:
                continue
            own = self.categories[feature.name]
            index = {value: i for i, value in enumerate(categories[feature.name])}
            lookup = np.array([index.get(value, math.nan) for value in own] + [math.nan])
            codes = X[:, j]
            X[:, j] = lookup[np.where(np.isnan(codes), len(own), codes).astype(np.intp)]
        return X


def format_number(value: float) -> str:
    if math.isnan(value):
        return ""
    if value.is_integer() and abs(value) < _EXACT_INT:
        return str(int(value))
    return repr(value)


def to_csv(dataset: Dataset) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*dataset.feature_names, dataset.target])
    columns = [
        [v if v is not None else "" for v in dataset.column(f.name)]
        if f.type == "categorical"
        else [format_number(v) for v in dataset.X[:, j].tolist()]
        for j, f in enumerate(dataset.features)
    ]
    writer.writerows(zip(*columns, (str(int(v)) for v in dataset.y)))
    return buffer.getvalue()


def write_csv(dataset: Dataset, path: Path) -> None:
    write_atomic(path, to_csv(dataset))


def read_csv(path: Path, features: Sequence[Feature], target: str) -> Dataset:
    """Read and check a CSV against the spec's features; every problem is located (file:line)."""
    try:
        text = _regular_file_text(path)
    except FileNotFoundError:
        raise FraudspecError(f"data file {path} does not exist", location=Location(str(path)), rule=RULE,
                             hint="fix model.data.csv in the spec") from None
    except (OSError, UnicodeDecodeError) as error:
        raise FraudspecError(f"cannot read data file {path}: {error}", location=Location(str(path)),
                             rule=RULE) from None
    return parse_csv(text, str(path), features, target)


def _regular_file_text(path: Path) -> str:
    """The text of a regular, non-empty file; a FIFO, a device or a /proc file (size 0) is refused
    before reading, so neither a hang nor the file's contents reach the user."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(descriptor, "rb") as file:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or info.st_size == 0:
            raise OSError(errno.EINVAL, "not a regular file with data")
        os.set_blocking(descriptor, True)
        return file.read().decode("utf-8-sig")


def parse_csv(text: str, file: str, features: Sequence[Feature], target: str) -> Dataset:
    reader = csv.reader(io.StringIO(text), strict=True)
    try:
        header = [name.strip() for name in next(reader, [])]
        if not any(header):
            raise FraudspecError(
                f"{file} is empty", location=Location(file), rule=RULE,
                hint=f"the first line must be a header naming {', '.join(f.name for f in features)}, {target}",
            )
        positions = _header_positions(header, features, target, file)
        columns: dict[str, list] = {f.name: [] for f in features}
        labels: list[int] = []
        findings: list[Finding] = []
        for row in reader:
            if not row:
                continue
            line = reader.line_num
            if len(row) != len(header):
                findings.append(Finding(RULE, f"row has {len(row)} fields, the header has {len(header)}",
                                        Location(file, line, 1)))
            else:
                _read_row(row, line, file, features, target, positions, columns, labels, findings)
            if len(findings) >= MAX_FINDINGS:
                break
    except csv.Error as error:
        raise FraudspecError(f"malformed CSV: {error}", location=Location(file, reader.line_num, 1),
                             rule=RULE) from None
    if findings:
        raise FraudspecError(f"{len(findings)} problem(s) in {file}", findings=findings)
    if not labels:
        raise FraudspecError(f"{file} has a header but no rows", location=Location(file, 1, 1), rule=RULE)
    return Dataset.from_columns(features, target, columns, labels)


def _header_positions(header: list[str], features: Sequence[Feature], target: str, file: str) -> dict[str, int]:
    duplicates = sorted({name for name in header if header.count(name) > 1 and name})
    if duplicates:
        raise FraudspecError(f"{file}: column(s) {', '.join(duplicates)} appear more than once",
                             location=Location(file, 1, 1), rule=RULE)
    wanted = [f.name for f in features] + [target]
    missing = [name for name in wanted if name not in header]
    if missing:
        raise FraudspecError(
            f"{file}: missing column(s) {', '.join(missing)}", location=Location(file, 1, 1), rule=RULE,
            hint=f"the header has {_names(header)}; it needs every spec feature and the target {target}",
        )
    return {name: header.index(name) for name in wanted}


_COLUMN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_ .-]{0,63}")


def _names(header: list[str]) -> str:
    """The header's column names for a message: only short, printable names, at most 20, so a file that
    is not a CSV (a secret, an environment dump) is described, not printed."""
    if len(header) > 20 or not all(_COLUMN_NAME.fullmatch(name) for name in header):
        return f"{len(header)} field(s) that do not look like column names"
    return ", ".join(header)


def _read_row(
    row: list[str], line: int, file: str, features: Sequence[Feature], target: str,
    positions: Mapping[str, int], columns: dict[str, list], labels: list[int], findings: list[Finding],
) -> None:
    """Append one row's values, or its problems (then none of its values)."""
    before = len(findings)

    def problem(name: str, message: str) -> None:
        index = positions[name]
        col = 1 + sum(len(text) + 1 for text in row[:index])  # exact for unquoted fields
        findings.append(Finding(RULE, f"column {name!r}: {message}", Location(file, line, col)))

    values: dict[str, object] = {}
    for feature in features:
        text = row[positions[feature.name]].strip()
        if feature.type == "categorical":
            values[feature.name] = text or None
        elif not text:
            values[feature.name] = math.nan
        else:
            values[feature.name] = _finite(text)
            if values[feature.name] is None:
                problem(feature.name, f"{text!r} is not a finite number")
    text = row[positions[target]].strip()
    label = _finite(text)
    if label is None or label not in (0.0, 1.0):
        problem(target, f"the target must be 0 or 1, got {text!r}")
    if len(findings) == before and label is not None:  # no problem found: the row is whole
        for name, value in values.items():
            columns[name].append(value)
        labels.append(int(label))


def _finite(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None
