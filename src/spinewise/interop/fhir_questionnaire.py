"""The Questionnaire Spinewise publishes for its assessment (SDC style, FHIR R4).

One group per contract section, one item per field; every ``linkId`` is the field's
contract path (``red_flags.fever``), so an answer, a validation error and a rule's
``missing`` entry all name a field the same way. The table is read from the
``Assessment`` model, so a contract field cannot be missing from the form.

**How "unknown" is represented.** A three-valued answer (``true``/``false``/``null``)
is a ``choice`` item whose ``answerOption`` list is HL7 v2-0136 ``Y`` / ``N`` plus
data-absent-reason ``unknown`` (the parent of ``asked-unknown`` and ``not-asked``,
because the contract's null means "not asked or unknown" without saying which). We
chose an explicit coded answer over ``valueBoolean`` left empty with a
data-absent-reason extension because (1) unknown is then an answer a clinician picks,
not a skipped question, so a form can require every red flag to be answered without
forcing a yes/no; (2) an empty answer cannot be told from a form that lost data; (3)
the same three codes round-trip losslessly. On import, ``valueBoolean`` and every
data-absent-reason code (``asked-unknown``, ``not-asked`` ...) are accepted too.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Literal

from fhir.resources.R4B.questionnaire import (
    Questionnaire,
    QuestionnaireItem,
    QuestionnaireItemAnswerOption,
)
from pydantic import BaseModel

from spinewise.interop import codes
from spinewise.interop.codes import NO, UNKNOWN, YES, Code, coding, local, resource_id
from spinewise.models import Assessment, Region, levels_for

Kind = Literal["tristate", "integer", "date", "choice", "string"]
QUESTIONNAIRE_CANONICAL = f"{codes.QUESTIONNAIRE_URL}|{codes.QUESTIONNAIRE_VERSION}"
TRISTATE_OPTIONS = (YES, NO, UNKNOWN)
_TYPE = {
    "tristate": "choice",
    "integer": "integer",
    "date": "date",
    "choice": "choice",
    "string": "string",
}


@dataclass(frozen=True)
class AnswerField:
    """One question: the contract path (``linkId``), its kind and its answer options."""

    path: str
    kind: Kind
    text: str
    required: bool
    repeats: bool = False
    options: tuple[Code, ...] = ()

    @property
    def section(self) -> str | None:
        """The contract section (``red_flags``), None for top-level fields."""
        return self.path.split(".")[0] if "." in self.path else None


def enum_system(enum: type[StrEnum]) -> str:
    """The local code system of a contract vocabulary: ``PainTrend`` -> pain-trend."""
    return "urn:spinewise:" + re.sub(r"(?<!^)(?=[A-Z])", "-", enum.__name__).lower()


def _words(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _unwrap(annotation: object) -> tuple[object, bool]:
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


def _level_options() -> tuple[Code, ...]:
    levels = [level for region in Region for level in levels_for(region)]
    return tuple(local(codes.DISC_LEVEL, level) for level in dict.fromkeys(levels))


def _field(path: str, annotation: object, required: bool) -> AnswerField:
    inner, nullable = _unwrap(annotation)
    repeats = typing.get_origin(inner) is list
    if repeats:
        inner = typing.get_args(inner)[0]
    text = _words(path.split(".")[-1])
    if inner is bool:
        in_red_flags = path.startswith("red_flags.")
        return AnswerField(
            path, "tristate", text, in_red_flags, False, TRISTATE_OPTIONS
        )
    if isinstance(inner, type) and issubclass(inner, StrEnum):
        options = tuple(
            Code(enum_system(inner), v.value, _words(v.value)) for v in inner
        )
        return AnswerField(path, "choice", text, required, repeats, options)
    if path == "hernia.levels":
        return AnswerField(path, "choice", text, required, repeats, _level_options())
    kinds: dict[object, Kind] = {int: "integer", dt.date: "date", str: "string"}
    if inner not in kinds:
        raise TypeError(f"{path}: no questionnaire item type for {inner!r}")
    return AnswerField(path, kinds[inner], text, required and not nullable, repeats)


@cache
def questionnaire_fields() -> tuple[AnswerField, ...]:
    """Every question of the assessment questionnaire, in contract order."""
    fields: list[AnswerField] = []
    for name, info in Assessment.model_fields.items():
        if name == "schema_":
            continue
        inner, _ = _unwrap(info.annotation)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            for sub, sub_info in inner.model_fields.items():
                fields.append(
                    _field(f"{name}.{sub}", sub_info.annotation, sub_info.is_required())
                )
        else:
            fields.append(_field(name, info.annotation, info.is_required()))
    return tuple(fields)


def section_names() -> tuple[str, ...]:
    """The contract sections, in order (each a ``group`` item)."""
    sections = (f.section for f in questionnaire_fields() if f.section)
    return tuple(dict.fromkeys(sections))


def _question(field: AnswerField) -> QuestionnaireItem:
    return QuestionnaireItem(
        linkId=field.path,
        text=field.text,
        type=_TYPE[field.kind],
        required=field.required,
        repeats=field.repeats,
        answerOption=[
            QuestionnaireItemAnswerOption(valueCoding=coding(option))
            for option in field.options
        ]
        or None,
    )


def questionnaire_resource() -> Questionnaire:
    """The published Questionnaire; a QuestionnaireResponse names it canonically."""
    top = [_question(f) for f in questionnaire_fields() if f.section is None]
    groups = [
        QuestionnaireItem(
            linkId=section,
            text=_words(section),
            type="group",
            required=section in ("patient", "hernia", "symptoms"),
            item=[_question(f) for f in questionnaire_fields() if f.section == section],
        )
        for section in section_names()
    ]
    return Questionnaire(
        id=resource_id("Questionnaire", QUESTIONNAIRE_CANONICAL),
        url=codes.QUESTIONNAIRE_URL,
        version=codes.QUESTIONNAIRE_VERSION,
        name="SpinewiseAssessment",
        title="Spinewise assessment for massage in intervertebral disc herniation",
        status="active",
        subjectType=["Patient"],
        publisher="Spinewise",
        description=(
            "Structured intake of the screening contract spinewise.assessment/1. "
            "linkIds are contract field paths; three-valued answers are Y / N / "
            "unknown (HL7 v2-0136 and data-absent-reason)."
        ),
        item=[*top, *groups],
    )
