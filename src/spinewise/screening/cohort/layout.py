"""The flat column layout of a cohort (one row per assessment, nulls mean unknown).

One column per assessment field path, named by the path (``red_flags.fever``):

* ``bool`` fields: Boolean; ``int`` fields: Int16; dates: Date;
* enum fields: ``Enum`` of the contract words *without* ``unknown`` (the word
  ``unknown`` is stored as null, exactly as ``facts_of`` reads it);
* list fields (``hernia.levels``, ``medications.analgesics``): List(String);
* the clearance as ``clearance.status`` (Enum; null = no clearance recorded),
  ``clearance.date``, ``clearance.valid_until`` (Date) and
  ``clearance.excluded_modalities`` (List(String));
* ``patient_id``, optional, of any type, carried through to the results.

A store or any other adapter feeds ``screen_cohort`` a polars DataFrame or an Arrow
table in this layout; ``conform_cohort`` checks it and casts compatible columns
(strings to the enum types, wider integers, ``unknown`` to null).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from typing import Any

import polars as pl
import pyarrow as pa

from spinewise.errors import N_, FieldProblem, InputError
from spinewise.kb import KnowledgeBase
from spinewise.models import (
    ASSESSMENT_SCHEMA,
    Assessment,
    ClearanceStatus,
    Profile,
    assessment_fields,
    parse_model,
    required_paths,
)
from spinewise.screening.cohort.rules import PROFILE_COLUMN, expression_paths
from spinewise.screening.compiled.engine import facts_reader

PATIENT_ID = "patient_id"
CLEARANCE_STATUS = "clearance.status"
CLEARANCE_DATE = "clearance.date"
CLEARANCE_VALID_UNTIL = "clearance.valid_until"
CLEARANCE_EXCLUDED = "clearance.excluded_modalities"
_CLEARANCE = (
    CLEARANCE_STATUS,
    CLEARANCE_DATE,
    CLEARANCE_VALID_UNTIL,
    CLEARANCE_EXCLUDED,
)
_KINDS: dict[str, pl.DataType] = {
    "bool": pl.Boolean(),
    "int": pl.Int16(),
    "date": pl.Date(),
    "list": pl.List(pl.String()),
}


def cohort_schema() -> pl.Schema:
    """Column name -> polars type of the cohort layout (``patient_id`` aside)."""
    return pl.Schema(_layout())


@cache
def _layout() -> dict[str, pl.DataType]:
    """The layout, made once (~0.15 ms each time otherwise); never changed."""
    columns: dict[str, pl.DataType] = {}
    for path, spec in assessment_fields().items():
        if spec.kind == "enum":
            columns[path] = pl.Enum([v for v in spec.values if v != "unknown"])
        else:
            columns[path] = _KINDS[spec.kind]
    columns[CLEARANCE_STATUS] = pl.Enum([s.value for s in ClearanceStatus])
    columns[CLEARANCE_DATE] = pl.Date()
    columns[CLEARANCE_VALID_UNTIL] = pl.Date()
    columns[CLEARANCE_EXCLUDED] = pl.List(pl.String())
    return columns


def needed_columns(kb: KnowledgeBase) -> list[str]:
    """The columns screening with ``kb`` reads: rule paths, red flags, the clearance."""
    paths = {"assessed_on", *_CLEARANCE}
    paths |= {p for p in assessment_fields() if p.startswith("red_flags.")}
    for rule in kb.rules:
        paths |= rule.when.paths()
        if rule.rescreen_after is not None:
            paths |= expression_paths(rule.rescreen_after)
    return [p for p in _layout() if p in paths]


def cohort_frame(
    assessments: Iterable[Assessment], patient_ids: Sequence[object] | None = None
) -> pl.DataFrame:
    """Assessments as a cohort frame in the layout (ids, if given, first)."""
    schema = cohort_schema()
    read = facts_reader()
    paths = list(assessment_fields())
    columns: dict[str, list[object]] = {name: [] for name in schema}
    for assessment in assessments:
        facts = read(assessment)
        for path in paths:
            columns[path].append(facts[path])
        clearance = assessment.clearance
        columns[CLEARANCE_STATUS].append(clearance and clearance.status.value)
        columns[CLEARANCE_DATE].append(clearance and clearance.date)
        columns[CLEARANCE_VALID_UNTIL].append(clearance and clearance.valid_until)
        columns[CLEARANCE_EXCLUDED].append(
            [m.value for m in clearance.excluded_modalities] if clearance else None
        )
    frame = pl.DataFrame(columns, schema=schema)
    if patient_ids is not None:
        if len(patient_ids) != frame.height:
            raise ValueError(f"{len(patient_ids)} ids for {frame.height} assessments")
        frame = frame.insert_column(0, pl.Series(PATIENT_ID, list(patient_ids)))
    return frame


def _row_document(row: dict[str, Any]) -> dict[str, Any]:
    fields = assessment_fields()
    document: dict[str, Any] = {"schema": ASSESSMENT_SCHEMA}
    for path, spec in fields.items():
        if path not in row:
            continue
        value = row[path]
        if value is None and spec.has_unknown_word:
            value = "unknown"
        if "." not in path:
            document[path] = value
            continue
        section, name = path.split(".")
        document.setdefault(section, {})[name] = value
    for optional in ("hernia", "condition"):  # blocks not given come back absent
        block = document.get(optional)
        if block is not None and all(v in (None, "unknown") for v in block.values()):
            del document[optional]
    if row.get(CLEARANCE_STATUS) is not None:
        document["clearance"] = {
            "status": row[CLEARANCE_STATUS],
            "date": row.get(CLEARANCE_DATE),
            "valid_until": row.get(CLEARANCE_VALID_UNTIL),
            "excluded_modalities": row.get(CLEARANCE_EXCLUDED) or [],
        }
    return document


def assessments_of(frame: pl.DataFrame) -> Iterator[Assessment]:
    """The frame's rows as validated assessments (a bad row names its index)."""
    for index, row in enumerate(frame.iter_rows(named=True)):
        yield parse_model(Assessment, _row_document(row), file=f"row {index}")


def _required_nulls(frame: pl.DataFrame) -> dict[str, int]:
    """Per required path present, its null count, in one pass over the frame (the
    ``hernia`` block is required of disc herniations only: a null profile is one)."""
    profile = pl.col(PROFILE_COLUMN)  # the layout's Enum: compared by its code
    herniation = profile.is_null() | (profile == Profile.DISC_HERNIATION.value)
    counts = []
    for path in sorted(required_paths()):
        if path not in frame.columns:
            continue
        nulls = pl.col(path).is_null()
        if path.startswith("hernia."):
            nulls = nulls & herniation
        counts.append(nulls.sum().alias(path))
    if not counts:
        return {}
    return {k: int(v) for k, v in frame.select(counts).row(0, named=True).items()}


def conform_cohort(cohort: pl.DataFrame | pa.Table, kb: KnowledgeBase) -> pl.DataFrame:
    """The cohort checked for the columns ``kb`` needs and cast to the layout's types."""
    frame = (
        cohort
        if isinstance(cohort, pl.DataFrame)
        else pl.DataFrame(pl.from_arrow(cohort))
    )
    schema = _layout()
    # a cohort from before profiles has no condition block: every row a herniation
    added = [
        pl.lit(None, schema[c]).alias(c)
        for c in schema
        if c.startswith("condition.") and c not in frame.columns
    ]
    if added:  # an empty with_columns still runs a query
        frame = frame.with_columns(added)
    absent = [c for c in needed_columns(kb) if c not in frame.columns]
    if absent:
        raise InputError(
            [FieldProblem(c, N_("column missing from the cohort")) for c in absent]
        )
    current = frame.schema  # built anew (with each Enum) at every access: once
    casts = [
        _cast(name, current[name], wanted)
        for name, wanted in schema.items()
        if name in current and current[name] != wanted
    ]
    if casts:
        try:
            frame = frame.with_columns(casts)
        except pl.exceptions.PolarsError as exc:
            raise InputError([FieldProblem("(cohort)", _first_line(exc))]) from None
    problems = [
        FieldProblem(
            path, N_("{count} null value(s); the field is required", count=count)
        )
        for path, count in _required_nulls(frame).items()
        if count
    ]
    if problems:
        raise InputError(problems)
    return frame


def _cast(name: str, current: pl.DataType, wanted: pl.DataType) -> pl.Expr:
    column = pl.col(name)
    if isinstance(wanted, pl.Enum) and isinstance(
        current, pl.String | pl.Categorical | pl.Enum
    ):
        text = column.cast(pl.String)
        column = pl.when(text != "unknown").then(text)
    return column.cast(wanted, strict=True)


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0]
