"""The assessment's field paths and their value kinds, read from the models.

The knowledge-base loader checks every condition against this table, so a rule can
only read a field the contract has, with a value of the field's type.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Literal

from pydantic import BaseModel

from spinewise.models.assessment import Assessment

Kind = Literal["bool", "int", "date", "enum", "list"]


@dataclass(frozen=True)
class FieldSpec:
    """One readable assessment field: its path, kind, enum values and nullability."""

    path: str
    kind: Kind
    values: tuple[str, ...] = ()
    nullable: bool = True
    has_unknown_word: bool = False


def _unwrap(annotation: object) -> tuple[object, bool]:
    """Strip ``Annotated`` and ``| None``; say whether None was allowed."""
    nullable = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (types.UnionType, typing.Union):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            nullable = nullable or len(args) < len(typing.get_args(annotation))
            annotation = args[0]
        else:
            return annotation, nullable


def _spec(path: str, annotation: object) -> FieldSpec | None:
    inner, nullable = _unwrap(annotation)
    if inner is bool:
        return FieldSpec(path, "bool", nullable=nullable)
    if inner is int:
        return FieldSpec(path, "int", nullable=nullable)
    if inner is dt.date:
        return FieldSpec(path, "date", nullable=nullable)
    if isinstance(inner, type) and issubclass(inner, StrEnum):
        values = tuple(str(v) for v in inner)
        return FieldSpec(
            path, "enum", values, nullable or "unknown" in values, "unknown" in values
        )
    if typing.get_origin(inner) is list:
        return FieldSpec(path, "list", nullable=False)
    return None


@cache
def assessment_fields() -> dict[str, FieldSpec]:
    """Every leaf field a rule may read, keyed by its contract path."""
    hints = typing.get_type_hints(Assessment, include_extras=True)
    table: dict[str, FieldSpec] = {
        "assessed_on": FieldSpec("assessed_on", "date", (), False)
    }
    for section, annotation in hints.items():
        inner, _ = _unwrap(annotation)
        if not (isinstance(inner, type) and issubclass(inner, BaseModel)):
            continue
        if section == "clearance":
            continue
        section_hints = typing.get_type_hints(inner, include_extras=True)
        for name, field_annotation in section_hints.items():
            spec = _spec(f"{section}.{name}", field_annotation)
            if spec is not None:
                table[spec.path] = spec
    return table


def required_paths() -> frozenset[str]:
    """Paths that can never be unknown: required fields (history dates are known too)."""
    return frozenset(p for p, s in assessment_fields().items() if not s.nullable)
