"""A decision's input as the cohort read takes it: a fixed-width record and its lists.

Each decision keeps, beside its packed answers (``store.packing``), the scalar fields
of the cohort layout (``spinewise.screening.cohort_schema``) as one fixed-width binary
record, and the three list fields as one compact JSON array. Both are written in the
same INSERT as the answers, from the same document, and never change (revision 0011r
filled them in for the rows stored before). A whole-cohort read then fetches two
values a row and turns a chunk of them into columns without a per-row cast: the
records are joined into one buffer and each byte position taken out of it at once
(a strided slice), so that a column is a few vectorised operations per chunk.

Record layout 1 (little-endian, ``RECORD_BYTES`` long), field by field in the
cohort layout's order, after a first byte holding ``RECORD_LAYOUT``:

* Boolean: one byte, 0 false, 1 true, 2 unknown;
* enum: one byte, the word's index among the layout's words (``unknown`` has none),
  255 unknown;
* Int16: two bytes, the value + 32,768, 0 unknown;
* Date: four bytes, the day number (1970-01-01 = 0) + 2**31, 0 unknown.

The lists (``hernia.levels``, ``medications.analgesics``,
``clearance.excluded_modalities``) are ``[[...], [...], [...]]``, ``null`` for a list
that is unknown. A document outside the stored layout, or with a value outside the
contract, gets no record: the cohort read refuses such a row rather than guessing.
The layout is frozen: ``RECORD_FINGERPRINT`` pins it, and a change of the cohort
layout needs a new record layout (and a migration), not a silent reinterpretation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import struct
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any, Final

import orjson
import polars as pl
import pyarrow as pa

from spinewise.errors import StoreError
from spinewise.screening import cohort_schema

RECORD_LAYOUT: Final = 1
RECORD_FINGERPRINT: Final = "6f3bac0612800189"
"""The first 16 hex digits of the SHA-256 of record layout 1's field list."""
PATIENT_ID = "patient_id"
IDS = (PATIENT_ID, "assessment_id", "decision_id")
_LIST = pl.List(pl.String())
_LISTS_TYPE = pl.List(_LIST)
_UNKNOWN_BYTE: Final = 255
_BOOL_UNKNOWN: Final = 2
_INT_BIAS: Final = 1 << 15
_DATE_BIAS: Final = 1 << 31
_EPOCH: Final = dt.date(1970, 1, 1).toordinal()
_WIDTH = {"bool": 1, "enum": 1, "int": 2, "date": 4}
_FORMAT = {"bool": "B", "enum": "B", "int": "H", "date": "I"}
REFUSED: Final = (
    "a stored assessment does not fit the cohort layout: its answers are not stored "
    f"in layout 1 or hold a value outside the contract (no record of layout "
    f"{RECORD_LAYOUT})"
)


class _Field:
    """One scalar of the record: where it sits and how it reads and writes."""

    def __init__(self, path: str, kind: pl.DataType, offset: int) -> None:
        self.path = path
        self.section, _, self.key = path.rpartition(".")
        self.dtype = kind
        self.words: tuple[str, ...] = ()
        if isinstance(kind, pl.Enum):
            self.kind = "enum"
            self.words = tuple(kind.categories.to_list())
        elif kind == pl.Boolean():
            self.kind = "bool"
        elif kind == pl.Int16():
            self.kind = "int"
        elif kind == pl.Date():
            self.kind = "date"
        else:
            raise StoreError(f"the cohort column {path!r} has no record form")
        self.offset = offset
        self.width = _WIDTH[self.kind]
        self.index = {word: i for i, word in enumerate(self.words)}

    def describe(self) -> str:
        return f"{self.path}:{self.kind}:{','.join(self.words)}"


def _layout() -> tuple[tuple[_Field, ...], tuple[str, ...]]:
    fields: list[_Field] = []
    lists: list[str] = []
    offset = 1
    for path, kind in cohort_schema().items():
        if kind == _LIST:
            lists.append(path)
            continue
        fields.append(_Field(path, kind, offset))
        offset += fields[-1].width
    return tuple(fields), tuple(lists)


FIELDS, LISTS = _layout()
RECORD_BYTES: Final = 1 + sum(f.width for f in FIELDS)
_STRUCT = struct.Struct("<B" + "".join(_FORMAT[f.kind] for f in FIELDS))


def record_fingerprint() -> str:
    """The fingerprint of the record layout the cohort layout gives today."""
    text = "|".join([*(f.describe() for f in FIELDS), *LISTS])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@cache
def _checked() -> None:
    if record_fingerprint() != RECORD_FINGERPRINT:
        raise StoreError(
            "the cohort layout changed since record layout "
            f"{RECORD_LAYOUT}: give the record a new layout and a migration"
        )


class _Unfit(Exception):
    """A value the record cannot hold (outside the contract)."""


def _value(document: Mapping[str, Any], section: str, key: str) -> Any:
    if not section:
        return document.get(key)
    block = document.get(section)
    return block.get(key) if isinstance(block, dict) else None


def _encoded(field: _Field, value: Any) -> int:
    if field.kind == "bool":
        if value is None:
            return _BOOL_UNKNOWN
        if isinstance(value, bool):
            return int(value)
    elif field.kind == "enum":
        if value is None or value == "unknown":
            return _UNKNOWN_BYTE
        if isinstance(value, str) and value in field.index:
            return field.index[value]
    elif field.kind == "int":
        if value is None:
            return 0
        if type(value) is int and -_INT_BIAS < value < _INT_BIAS:
            return value + _INT_BIAS
    elif value is None:
        return 0
    elif isinstance(value, str) and len(value) == 10 and value[4] == "-":
        try:
            return dt.date.fromisoformat(value).toordinal() - _EPOCH + _DATE_BIAS
        except ValueError:
            pass
    raise _Unfit(field.path)


def _list(document: Mapping[str, Any], path: str) -> list[str] | None:
    section, _, key = path.partition(".")
    value = _value(document, section, key)
    if value is None:
        return None
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise _Unfit(path)


def cohort_record(
    document: Mapping[str, Any], answers: str
) -> tuple[bytes, str] | tuple[None, None]:
    """The record and lists of a decision input stored as ``answers`` (both ``None``
    when the answers are kept whole, outside the layout, or a value does not fit)."""
    _checked()
    if not answers.startswith("["):
        return None, None
    try:
        values = [_encoded(f, _value(document, f.section, f.key)) for f in FIELDS]
        lists = [_list(document, path) for path in LISTS]
    except _Unfit:
        return None, None
    return _STRUCT.pack(RECORD_LAYOUT, *values), orjson.dumps(lists).decode()


def cohort_columns() -> pl.Schema:
    """The columns a store read gives: the three ids, then the cohort layout."""
    ids = {name: pl.Int64() for name in IDS}
    return pl.Schema(ids | dict(cohort_schema()))


def empty_cohort() -> pl.DataFrame:
    """A store read of a clinic without assessments."""
    return pl.DataFrame(schema=cohort_columns())


def _plane(blob: bytes, offset: int) -> pl.Series:
    """Byte ``offset`` of every record, as one UInt8 column (a strided slice)."""
    data = blob[offset::RECORD_BYTES]
    array = pa.Array.from_buffers(pa.uint8(), len(data), [None, pa.py_buffer(data)])
    return pl.Series(f"_{offset}", array)


def _records_blob(records: pa.Array) -> bytes:
    """The records, back to back (each checked to be a record of this length)."""
    if records.null_count or len(records) == 0:
        raise StoreError(REFUSED)
    sizes = pl.Series(records).bin.size()
    if sizes.min() != RECORD_BYTES or sizes.max() != RECORD_BYTES:
        raise StoreError(REFUSED)
    _, offsets, data = records.buffers()
    first = pa.Array.from_buffers(
        pa.int32(), 1, [None, offsets], offset=records.offset
    )[0].as_py()
    size = len(records) * RECORD_BYTES
    blob: bytes = data[first : first + size].to_pybytes()
    return blob


def _number(field: _Field) -> pl.Expr:
    total = pl.lit(0, pl.Int64)
    for byte in range(field.width):
        total = total + pl.col(f"_{field.offset + byte}").cast(pl.Int64) * (
            1 << 8 * byte
        )
    return total


def _column(field: _Field) -> pl.Expr:
    raw = pl.col(f"_{field.offset}")
    column: pl.Expr
    if field.kind == "bool":
        column = pl.when(raw < _BOOL_UNKNOWN).then(raw == 1)
    elif field.kind == "enum":
        words = pl.Series(field.words, dtype=field.dtype)
        column = pl.lit(words).gather(pl.when(raw != _UNKNOWN_BYTE).then(raw))
    elif field.kind == "int":
        number = _number(field)
        column = pl.when(number != 0).then(number - _INT_BIAS).cast(pl.Int16)
    else:
        number = _number(field)
        days = pl.when(number != 0).then(number - _DATE_BIAS)
        column = days.cast(pl.Int32).cast(pl.Date)
    return column.alias(field.path)


@cache
def _columns() -> list[pl.Expr]:
    return [_column(field) for field in FIELDS]


def _lists(texts: pl.Series) -> pl.DataFrame:
    """The lists' JSON texts as columns, each distinct text decoded once."""
    if texts.null_count():
        raise StoreError(REFUSED)
    series = texts.alias("_lists")
    distinct = series.unique()
    decoded = pl.DataFrame(
        [distinct, distinct.str.json_decode(_LISTS_TYPE).alias("_decoded")]
    )
    joined = series.to_frame().join(
        decoded, on="_lists", how="left", maintain_order="left"
    )
    return joined.select(
        pl.col("_decoded").list.get(i).alias(path) for i, path in enumerate(LISTS)
    )


ROW_SCHEMA: Final = pa.schema(
    [
        *((name, pa.int64()) for name in IDS),
        ("cohort", pa.binary()),
        ("cohort_lists", pa.string()),
    ]
)
"""What a cohort SELECT gives: the three ids, the record, the lists."""


def rows_batch(rows: Sequence[Sequence[Any]]) -> pa.RecordBatch:
    """DB-API rows of the cohort SELECT as one Arrow batch of ``ROW_SCHEMA``."""
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(ROW_SCHEMA)
    try:
        return pa.RecordBatch.from_arrays(
            [
                pa.array(values, type=field.type)
                for values, field in zip(columns, ROW_SCHEMA, strict=True)
            ],
            schema=ROW_SCHEMA,
        )
    except (pa.ArrowException, TypeError) as exc:
        raise StoreError(f"{REFUSED}: {exc}") from None


def records_frame(batch: pa.RecordBatch) -> pl.DataFrame:
    """A batch of the cohort SELECT (ids, record, lists, in that order) as a frame
    of ``cohort_columns()``; a row without a record of this layout fails the read."""
    _checked()
    if batch.num_rows == 0:
        return empty_cohort()
    blob = _records_blob(batch.column(3))
    planes = pl.DataFrame([_plane(blob, offset) for offset in range(RECORD_BYTES)])
    if (planes["_0"] != RECORD_LAYOUT).any():
        raise StoreError(REFUSED)
    try:
        scalars = planes.select(_columns())
        listed = _lists(pl.Series(batch.column(4)))
    except pl.exceptions.PolarsError as exc:
        first = str(exc).strip().splitlines()[0]
        raise StoreError(f"{REFUSED}: {first}") from None
    ids = pl.DataFrame(
        [pl.Series(name, batch.column(i)).cast(pl.Int64) for i, name in enumerate(IDS)]
    )
    frame = pl.concat([ids, scalars, listed], how="horizontal")
    return frame.select(cohort_columns().names())
