"""Rows of feature values (CSV text or JSON values) turned into typed columns.

Every value is typed the way Deequ's DataType analyzer types it: null, Integral (an optionally signed
run of digits), Fractional (digits with a fraction and/or an exponent) or String (anything else,
including booleans, "nan" and numbers that overflow a double). Integral and Fractional values are
the numbers the statistics and sketches are computed from; strings are kept as text only for the
features that need it (String features), so a million numeric rows stay numpy arrays throughout.

CSV rows in the common shape (one row per record, only digits, signs, '.', 'e', 'E', the same number
of fields in every row, an empty field missing) are parsed in bulk by pyarrow's CSV reader and typed
from their bytes with numpy; anything else takes an exact per-value path.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

# Deequ 2.0.2 StatefulDataType patterns, matched against the whole value.
_FRACTIONAL = re.compile(r"(-|\+)? ?\d+((\.\d+)|((?:\.\d+)?[Ee][-+]?\d+))", re.ASCII)
_INTEGRAL = re.compile(r"(-|\+)? ?\d+", re.ASCII)

_DIGIT = np.zeros(256, dtype=bool)
_DIGIT[ord("0") : ord("9") + 1] = True
_SIGN = np.zeros(256, dtype=bool)
_SIGN[[ord("+"), ord("-")]] = True
# Bytes the bulk path understands; any other byte sends a block to the per-value path.
_BULK_BYTES = _DIGIT | _SIGN
_BULK_BYTES[[ord("."), ord("e"), ord("E"), ord(","), ord("\n")]] = True
_BULK_DELETE = bytes(np.flatnonzero(_BULK_BYTES).tolist())  # what is left after deleting these is not bulk


@dataclass(frozen=True, eq=False)
class Column:
    """One feature's values, in arrival order."""

    numbers: np.ndarray  # float64: the Integral and Fractional values
    texts: tuple[str, ...] | None  # every non-null value as text; None unless the feature is kept as text
    missing: int
    integral: int
    fractional: int
    string: int
    counts: Mapping[str, int] | None = None  # instead of texts: each text's count (a merged partial state)

    @property
    def present(self) -> int:
        return self.integral + self.fractional + self.string

    def text_counts(self) -> Counter[str] | None:
        """How often each text value occurs; None unless the feature is kept as text."""
        if self.counts is not None:
            return Counter(self.counts)
        return Counter(self.texts) if self.texts is not None else None


@dataclass(frozen=True, eq=False)
class Table:
    rows: int
    columns: Mapping[str, Column]  # every expected feature, in feature order
    absent: tuple[str, ...]  # expected features no row carried
    extra: tuple[str, ...]  # columns the rows carried beyond the expected features
    max_fields: int = 0  # the widest positional row
    named: frozenset[str] = frozenset()  # the keys of object rows

    @classmethod
    def of(cls, rows: int, columns: Mapping[str, Column], features: Sequence[str], max_fields: int,
           named: frozenset[str]) -> Table:
        """A table of `features` whose positional rows were at most `max_fields` wide and whose object
        rows carried the keys `named`: the absent and extra columns follow."""
        positional = set(features[:max_fields])
        absent = tuple(f for f in features if f not in positional and f not in named)
        extra = tuple(f"_c{i}" for i in range(len(features), max_fields))
        extra += tuple(sorted(named - set(features)))
        return cls(rows, columns, absent, extra, max_fields, named)


def type_text(token: str) -> tuple[str, float]:
    """("Integral" | "Fractional" | "String", numeric value or nan) for one non-null text value."""
    if _INTEGRAL.fullmatch(token):
        kind = "Integral"
    elif _FRACTIONAL.fullmatch(token):
        kind = "Fractional"
    else:
        return "String", math.nan
    value = float(token.replace(" ", ""))  # Deequ allows one space after the sign; float() does not
    return (kind, value) if math.isfinite(value) else ("String", math.nan)


class _ColumnBuilder:
    def __init__(self, keep_text: bool) -> None:
        self.keep_text = keep_text
        self.chunks: list[np.ndarray] = []
        self.values: list[float] = []  # per-value path, flushed into chunks to keep arrival order
        self.texts: list[str] = []
        self.missing = self.integral = self.fractional = self.string = 0

    def add_value(self, value: object) -> None:
        if value is None or value == "":
            self.missing += 1
            return
        if isinstance(value, bool):
            kind, number = "String", math.nan
        elif isinstance(value, int):
            number = float(value) if abs(value) < 2**1023 else math.inf
            kind = "Integral" if math.isfinite(number) else "String"
        elif isinstance(value, float):
            kind, number = ("Fractional", value) if math.isfinite(value) else ("String", math.nan)
        elif isinstance(value, str):
            kind, number = type_text(value)
        else:
            kind, number = "String", math.nan
        if kind == "Integral":
            self.integral += 1
            self.values.append(number)
        elif kind == "Fractional":
            self.fractional += 1
            self.values.append(number)
        else:
            self.string += 1
        if self.keep_text:
            self.texts.append(value if isinstance(value, str) else json.dumps(value))

    def add_bulk(self, numbers: np.ndarray, fractional: int, string: int, texts: Sequence[str] | None) -> None:
        self._flush()
        self.chunks.append(numbers)
        self.fractional += fractional
        self.string += string
        self.integral += len(numbers) - fractional
        if self.keep_text and texts is not None:
            self.texts.extend(texts)

    def _flush(self) -> None:
        if self.values:
            self.chunks.append(np.asarray(self.values, dtype=np.float64))
            self.values = []

    def build(self) -> Column:
        self._flush()
        numbers = np.concatenate(self.chunks) if self.chunks else np.empty(0, dtype=np.float64)
        texts = tuple(self.texts) if self.keep_text else None
        return Column(numbers, texts, self.missing, self.integral, self.fractional, self.string)


class TableBuilder:
    """Accumulates rows for the expected features; CSV and list rows map by position, objects by name."""

    def __init__(self, features: Sequence[str], text_features: Iterable[str] = ()) -> None:
        self.features = tuple(features)
        keep = set(text_features)
        self.builders = [_ColumnBuilder(name in keep) for name in self.features]
        self.rows = 0
        self.max_fields = 0  # widest positional row
        self.named: set[str] = set()  # keys seen in object rows

    def add_csv_lines(self, lines: Sequence[bytes]) -> None:
        """Rows of CSV text, one per item, none containing a newline."""
        if lines:
            self.add_csv_rows(b"\n".join(lines) + b"\n")

    def add_csv_rows(self, rows: bytes) -> None:
        """Rows of CSV text, each ending with a newline."""
        if rows:
            self.add_parsed(rows, parse_csv_rows(rows, self.keep_text))

    def add_parsed(self, rows: bytes, parsed: ParsedRows | None) -> None:
        """`rows` as `parse_csv_rows(rows, self.keep_text)` parsed them (None: value by value)."""
        if parsed is None:
            for line in rows[:-1].split(b"\n"):
                self.add_positional(_split_csv(line.decode("utf-8", errors="replace")))
            return
        self.rows += parsed.count
        self.max_fields = max(self.max_fields, len(parsed.numbers))
        for i, builder in enumerate(self.builders[: len(parsed.numbers)]):
            builder.missing += parsed.missing[i]
            builder.add_bulk(parsed.numbers[i], parsed.fractional[i], parsed.string[i], parsed.texts[i])
        for builder in self.builders[len(parsed.numbers) :]:
            builder.missing += parsed.count

    @property
    def keep_text(self) -> tuple[bool, ...]:
        return tuple(builder.keep_text for builder in self.builders)

    def add_csv_text(self, text: str) -> None:
        """A CSV payload that may hold several rows."""
        for fields in (csv.reader(io.StringIO(text)) if '"' in text else (r.split(",") for r in text.splitlines())):
            if fields and fields != [""]:
                self.add_positional(fields)

    def add_positional(self, fields: Sequence[object]) -> None:
        self.rows += 1
        self.max_fields = max(self.max_fields, len(fields))
        for i, builder in enumerate(self.builders):
            builder.add_value(fields[i] if i < len(fields) else None)

    def add_named(self, row: Mapping[str, object]) -> None:
        self.rows += 1
        self.named.update(row)
        for name, builder in zip(self.features, self.builders):
            builder.add_value(row.get(name))

    def build(self) -> Table:
        columns = {name: builder.build() for name, builder in zip(self.features, self.builders)}
        return Table.of(self.rows, columns, self.features, self.max_fields, frozenset(self.named))


def _split_csv(line: str) -> list[str]:
    return next(csv.reader([line])) if '"' in line else line.split(",")


@dataclass(frozen=True, eq=False)
class ParsedRows:
    """A block of CSV rows in the common shape, typed column by column (`width` columns)."""

    count: int  # rows
    numbers: list[np.ndarray]  # per column: its Integral and Fractional values, in row order
    missing: list[int]
    fractional: list[int]
    string: list[int]
    texts: list[list[str] | None]  # per column: every non-empty token, for the columns kept as text


def parse_csv_rows(rows: bytes, keep_text: Sequence[bool]) -> ParsedRows | None:
    """The common shape in bulk, or None when a row needs the per-value path. Pure (it touches no
    builder), so a reader may run it on another thread while it reads the next block.

    pyarrow's CSV reader parses the numbers (threaded; an empty field is null, a missing value);
    the token shapes Deequ types by are read from the bytes themselves."""
    if rows.translate(None, _BULK_DELETE) or rows.startswith(b"\n"):
        return None
    text = np.frombuffer(rows, dtype=np.uint8)
    count = int(np.count_nonzero(text == ord("\n")))  # a tenth of bytes.count's time
    # A blank line is one pyarrow skips, so the rows it parses fall short of `count`.
    columns = _parse_numbers(rows, rows[: rows.index(b"\n")].count(b",") + 1, count)
    if columns is None:
        return None
    width = len(columns)
    fractional = _plain_fractional(rows, text, columns)
    if fractional is not None:
        string = np.zeros(width, dtype=np.int64)
    else:
        raw = np.frombuffer(b"\n" + rows, dtype=np.uint8)  # a pad separator in front
        separators = np.flatnonzero((raw == ord(",")) | (raw == ord("\n")))
        strings = _string_tokens(raw, separators, columns)
        marked = _marked_tokens(raw, separators)
        if len(strings):
            for i in range(width):
                columns[i][strings[strings % width == i] // width] = np.nan
            marked = np.setdiff1d(marked, strings, assume_unique=True)
        fractional = np.bincount(marked % width, minlength=width)
        string = np.bincount(strings % width, minlength=width)
    numbers, missing, texts = [], [], []
    tokens = None
    for i in range(width):
        values = columns[i]
        present = values[~np.isnan(values)]
        numbers.append(present)
        missing.append(count - len(present) - int(string[i]))
        column_texts = None
        if i < len(keep_text) and keep_text[i]:
            tokens = tokens if tokens is not None else rows[:-1].decode().replace("\n", ",").split(",")
            column_texts = [token for token in tokens[i::width] if token]
        texts.append(column_texts)
    return ParsedRows(count, numbers, missing, [int(f) for f in fractional], [int(s) for s in string], texts)


def _parse_numbers(rows: bytes, width: int, count: int) -> list[np.ndarray] | None:
    """Each of `width` columns as float64 (NaN where a field is empty), or None when the rows do not
    parse as `count` rows of `width` numbers (a ragged row, a token that is no number)."""
    names = [f"c{i}" for i in range(width)]
    try:
        table = pacsv.read_csv(
            pa.BufferReader(rows),
            read_options=pacsv.ReadOptions(column_names=names, use_threads=True),
            parse_options=pacsv.ParseOptions(quote_char=False, escape_char=False),
            convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.float64()), null_values=[""]),
        )
    except (ValueError, pa.ArrowException):
        return None
    if table.num_rows != count:
        return None
    return [_float_values(column.combine_chunks()) for column in table.columns]


def _float_values(array: pa.DoubleArray) -> np.ndarray:
    """A float64 array's values, NaN where null, read from its buffers (a writable copy).

    Not `to_numpy()`: with nulls, pyarrow converts through its pandas layer, which imports pandas
    wherever pandas is installed (a quarter of a second, once per process)."""
    values = np.frombuffer(array.buffers()[1], dtype=np.float64, count=len(array) + array.offset)
    values = values[array.offset :].copy()
    if array.null_count:
        bits = np.unpackbits(np.frombuffer(array.buffers()[0], dtype=np.uint8), bitorder="little")
        values[~bits[array.offset : array.offset + len(array)].astype(bool)] = np.nan
    return values


def _plain_fractional(rows: bytes, text: np.ndarray, columns: Sequence[np.ndarray]) -> np.ndarray | None:
    """Each column's Fractional count when the rows are plain decimals whose dotted tokens are exactly
    the values with a fraction (no exponent, every '.' after a digit, no overflow, no "3." or "3.0"),
    so that no token is a String and the values alone say which tokens are Fractional; else None,
    for `_string_tokens` and `_marked_tokens` to type token by token.

    Without an exponent a value with a fraction was written with a '.', and every token parsed as a
    float holds at most one: so when the dots number the values with a fraction, no whole number was
    written with one (nor ends with one). The build's CSV writer and SageMaker's callers write whole
    numbers bare."""
    if b"e" in rows or b"E" in rows or any(np.isinf(c).any() for c in columns):
        return None
    dots = np.flatnonzero(text == ord("."))
    fractions = np.array([np.count_nonzero(c != np.trunc(c)) - np.count_nonzero(np.isnan(c)) for c in columns])
    if len(dots) != int(fractions.sum()) or (len(dots) and (dots[0] == 0 or not _DIGIT[text[dots - 1]].all())):
        return None
    return fractions


def _token_index(separators: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """Row-major indices of the tokens holding the (ascending) byte positions, each once.

    `separators` are the positions of ',' and '\\n' in a buffer that starts with a pad separator.
    """
    tokens = np.searchsorted(separators, positions) - 1
    return tokens[np.concatenate(([True], tokens[1:] != tokens[:-1]))] if len(tokens) else tokens


def _marked_tokens(raw: np.ndarray, separators: np.ndarray) -> np.ndarray:
    """Tokens with a '.' or an exponent: Fractional unless _string_tokens says otherwise."""
    return _token_index(separators, np.flatnonzero((raw == ord(".")) | (raw == ord("e")) | (raw == ord("E"))))


def _string_tokens(raw: np.ndarray, separators: np.ndarray, columns: Sequence[np.ndarray]) -> np.ndarray:
    """Tokens that parsed as floats but are Strings to Deequ, or overflow a double.

    Every token holds only digits, signs, '.', 'e', 'E' and parsed as a float. Deequ wants digits on
    both sides of a '.', a digit before an exponent and a digit (after an optional sign) behind it:
    "1." and ".5" are Strings.
    """
    dots = np.flatnonzero(raw == ord("."))
    exps = np.flatnonzero((raw == ord("e")) | (raw == ord("E")))
    behind = raw[np.minimum(exps + 2, len(raw) - 1)]
    dot_ok = _DIGIT[raw[dots - 1]] & _DIGIT[raw[dots + 1]]
    exp_ok = _DIGIT[raw[exps - 1]] & (_DIGIT[raw[exps + 1]] | (_SIGN[raw[exps + 1]] & _DIGIT[behind]))
    malformed = _token_index(separators, np.sort(np.concatenate((dots[~dot_ok], exps[~exp_ok]))))
    width = len(columns)
    overflow = np.sort(np.concatenate([np.flatnonzero(np.isinf(c)) * width + i for i, c in enumerate(columns)]))
    return np.union1d(malformed, overflow) if len(overflow) else malformed


def numeric_table(columns: Mapping[str, np.ndarray]) -> Table:
    """A Table from in-memory numeric columns (NaN missing): whole numbers are Integral, as the
    build's CSV writer prints them, other finite numbers Fractional, infinities Strings."""
    built = {}
    lengths = {len(values) for values in columns.values()}
    if len(lengths) > 1:
        raise ValueError(f"columns differ in length: {sorted(lengths)}")
    for name, values in columns.items():
        values = np.asarray(values, dtype=np.float64)
        numbers = values[np.isfinite(values)]
        missing = int(np.count_nonzero(np.isnan(values)))
        fractional = int(np.count_nonzero(numbers != np.floor(numbers)))
        strings = len(values) - missing - len(numbers)
        built[name] = Column(numbers, None, missing, len(numbers) - fractional, fractional, strings)
    return Table(lengths.pop() if lengths else 0, built, (), ())
