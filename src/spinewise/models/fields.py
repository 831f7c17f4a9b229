"""The assessment's fields described once: path, kind, allowed values, label, help.

Read from the models (``Field(title=..., description=...)`` and their constraints),
this table drives everything that describes a field: the knowledge-base loader checks
every condition against it (a rule reads only a field the contract has, with a value
of its type), the web intake form takes its labels and hints, the FHIR Questionnaire
its items and the compiled engine its enum words.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cache
from typing import Literal

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from spinewise.models.assessment import Assessment

Kind = Literal["bool", "int", "date", "enum", "list", "str"]


@dataclass(frozen=True)
class FieldSpec:
    """One assessment field: path, kind, allowed values, nullability and its words.

    ``values`` are an enum's words (of the list's items for a list of an enum);
    ``low``/``high`` a number's bounds; ``label`` and ``help`` what forms show.
    """

    path: str
    kind: Kind
    values: tuple[str, ...] = ()
    nullable: bool = True
    has_unknown_word: bool = False
    label: str = ""
    help: str = ""
    required: bool = False
    low: int | None = None
    high: int | None = None
    enum: type[StrEnum] | None = None


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


def _words(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _bounds(info: FieldInfo) -> tuple[int | None, int | None]:
    low = high = None
    metadata = list(info.metadata)
    for arg in typing.get_args(info.annotation) or (info.annotation,):
        if typing.get_origin(arg) is typing.Annotated:
            metadata += [getattr(m, "metadata", [m]) for m in typing.get_args(arg)[1:]]
    for item in _flatten(metadata):
        if isinstance(item, annotated_types.Ge):
            low = int(item.ge)  # type: ignore[call-overload]
        elif isinstance(item, annotated_types.Le):
            high = int(item.le)  # type: ignore[call-overload]
    return low, high


def _flatten(items: list[object]) -> list[object]:
    flat: list[object] = []
    for item in items:
        flat += _flatten(item) if isinstance(item, list) else [item]
    return flat


def _spec(path: str, info: FieldInfo) -> FieldSpec | None:
    inner, nullable = _unwrap(info.annotation)
    words = {
        "label": info.title or _words(path.split(".")[-1]),
        "help": info.description or "",
        "required": info.is_required(),
    }
    if inner is bool:
        return FieldSpec(path, "bool", nullable=nullable, **words)  # type: ignore[arg-type]
    if inner is int:
        low, high = _bounds(info)
        return FieldSpec(path, "int", nullable=nullable, low=low, high=high, **words)  # type: ignore[arg-type]
    if inner is dt.date:
        return FieldSpec(path, "date", nullable=nullable, **words)  # type: ignore[arg-type]
    if inner is str:
        return FieldSpec(path, "str", nullable=nullable, **words)  # type: ignore[arg-type]
    if isinstance(inner, type) and issubclass(inner, StrEnum):
        values = tuple(str(v) for v in inner)
        unknown = "unknown" in values
        return FieldSpec(
            path,
            "enum",
            values,
            nullable or unknown,
            unknown,
            enum=inner,
            **words,  # type: ignore[arg-type]
        )
    if typing.get_origin(inner) is list:
        item = typing.get_args(inner)[0]
        enum = item if isinstance(item, type) and issubclass(item, StrEnum) else None
        values = tuple(str(v) for v in enum) if enum else ()
        return FieldSpec(path, "list", values, False, enum=enum, **words)  # type: ignore[arg-type]
    return None


@cache
def described_fields() -> dict[str, FieldSpec]:
    """Every leaf field of the assessment, clearance included, in contract order."""
    table: dict[str, FieldSpec] = {}
    for section, info in Assessment.model_fields.items():
        inner, _ = _unwrap(info.annotation)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            for name, field_info in inner.model_fields.items():
                spec = _spec(f"{section}.{name}", field_info)
                if spec is not None:
                    table[spec.path] = spec
        elif section != "schema_":
            spec = _spec(section, info)
            if spec is not None:
                table[spec.path] = replace(spec, nullable=False)
    return table


@cache
def assessment_fields() -> dict[str, FieldSpec]:
    """Every leaf field a rule may read (not the clearance), keyed by its path."""
    return {
        path: spec
        for path, spec in described_fields().items()
        if not path.startswith("clearance.")
    }


def required_paths() -> frozenset[str]:
    """Paths that can never be unknown: required fields (history dates are known too)."""
    return frozenset(p for p, s in assessment_fields().items() if not s.nullable)


def enum_words() -> dict[object, object]:
    """Each enum word of the readable fields -> its fact value (``unknown`` -> None)."""
    words: dict[object, object] = {None: None}
    for spec in assessment_fields().values():
        if spec.kind == "enum":
            words.update({v: None if v == "unknown" else v for v in spec.values})
    return words
