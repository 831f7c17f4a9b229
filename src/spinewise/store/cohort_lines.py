"""One text line per patient, as the cohort SELECT sends it, parsed into the cohort layout.

The database extracts the fields and sends a line of comma-separated values:

    patient_id,assessment_id,decision_id,<layout>,<scalar fields>,"<list>","<list>"

The layout is the stored answers' layout number (``store.packing``); a row of any
other layout (or a document stored whole because it did not fit one) fails the read.
The scalar fields are JSON values in the order of ``SCALARS`` (quoted strings,
numbers, ``true``/``false``, ``null``), which read as CSV fields as they are. Each list
is its JSON array, quoted as a CSV field (``"`` doubled). polars parses a whole chunk
of lines in one ``read_csv``, then casts: ``unknown`` to null and the contract words to
the layout's enums, ISO dates to dates, lists from JSON. Casts are strict, so a value
outside the contract fails the read with a ``StoreError`` rather than being guessed.
"""

from __future__ import annotations

import re

import polars as pl

from spinewise.errors import StoreError
from spinewise.screening import cohort_schema
from spinewise.store.packing import CURRENT_LAYOUT

PATIENT_ID = "patient_id"
IDS = (PATIENT_ID, "assessment_id", "decision_id")
LAYOUT = "layout"
_LIST = pl.List(pl.String())
_SAFE_PATH = re.compile(r"[a-z_]+(\.[a-z_]+)?")


def _paths() -> tuple[tuple[str, ...], tuple[str, ...]]:
    schema = cohort_schema()
    for path in schema:
        if not _SAFE_PATH.fullmatch(path):  # paths are written into the SQL text
            raise StoreError(f"cohort column {path!r} is not a plain field path")
    lists = tuple(p for p, kind in schema.items() if kind == _LIST)
    return tuple(p for p in schema if p not in lists), lists


SCALARS, LISTS = _paths()
"""The cohort columns, in line order: scalar fields first, then the lists."""


def _text_schema() -> pl.Schema:
    """How ``read_csv`` reads a line: enums and dates as text, cast afterwards."""
    layout = cohort_schema()
    columns: dict[str, pl.DataType] = {name: pl.Int64() for name in IDS}
    columns[LAYOUT] = pl.Int64()
    for path in SCALARS:
        kind = layout[path]
        text = isinstance(kind, pl.Enum) or kind == pl.Date()
        columns[path] = pl.String() if text else kind
    columns |= {path: pl.String() for path in LISTS}
    return pl.Schema(columns)


def _casts() -> list[pl.Expr]:
    layout = cohort_schema()
    casts = []
    for path in SCALARS:
        kind, column = layout[path], pl.col(path)
        if isinstance(kind, pl.Enum):
            casts.append(pl.when(column != "unknown").then(column).cast(kind))
        elif kind == pl.Date():
            casts.append(column.str.to_date("%Y-%m-%d"))
    casts += [pl.col(path).str.json_decode(_LIST) for path in LISTS]
    return casts


_TEXT_SCHEMA = _text_schema()
_CASTS = _casts()
_ORDER = [*IDS, *cohort_schema()]


def cohort_columns() -> pl.Schema:
    """The columns a store read gives: the three ids, then the cohort layout."""
    ids = {name: pl.Int64() for name in IDS}
    return pl.Schema(ids | dict(cohort_schema()))


def empty_cohort() -> pl.DataFrame:
    """A store read of a clinic without assessments."""
    return pl.DataFrame(schema=cohort_columns())


def parse_lines(lines: list[str]) -> pl.DataFrame:
    """A chunk of lines as a frame of ``cohort_columns()``."""
    if not lines:
        return empty_cohort()
    try:
        frame = pl.read_csv(
            "\n".join(lines).encode(),
            has_header=False,
            schema=_TEXT_SCHEMA,
            null_values="null",
            quote_char='"',
        )
        layouts = frame[LAYOUT]
        if layouts.null_count() or (layouts != CURRENT_LAYOUT).any():
            raise StoreError(
                "a stored assessment does not fit the cohort layout: its answers "
                f"are not stored in layout {CURRENT_LAYOUT}"
            )
        return frame.with_columns(_CASTS).select(_ORDER)
    except pl.exceptions.PolarsError as exc:
        first = str(exc).strip().splitlines()[0]
        raise StoreError(
            f"a stored assessment does not fit the cohort layout: {first}"
        ) from None
