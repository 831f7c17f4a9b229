"""The Questionnaire Spinewise publishes for its assessment (SDC style, FHIR R4).

One group per contract section, one item per field; every ``linkId`` is the field's
contract path (``red_flags.fever``), so an answer, a validation error and a rule's
``missing`` entry all name a field the same way. The items are the field descriptions
of the models (``models.described_fields``: label, kind, values), so a contract field
cannot be missing from the form and reads as it does in the web intake.

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

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Literal

from fhir.resources.R4B.questionnaire import (
    Questionnaire,
    QuestionnaireItem,
    QuestionnaireItemAnswerOption,
)

from spinewise.interop import codes
from spinewise.interop.codes import NO, UNKNOWN, YES, Code, coding, local, resource_id
from spinewise.models import FieldSpec, Region, described_fields, levels_for

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


def _level_options() -> tuple[Code, ...]:
    levels = [level for region in Region for level in levels_for(region)]
    return tuple(local(codes.DISC_LEVEL, level) for level in dict.fromkeys(levels))


def _field(spec: FieldSpec) -> AnswerField:
    """The question of one field description (label, kind, values, required)."""
    path, text, required = spec.path, spec.label, spec.required
    if spec.kind == "bool":
        in_red_flags = path.startswith("red_flags.")
        return AnswerField(
            path, "tristate", text, in_red_flags, False, TRISTATE_OPTIONS
        )
    repeats = spec.kind == "list"
    if spec.enum is not None:
        system = enum_system(spec.enum)
        options = tuple(Code(system, v, _words(v)) for v in spec.values)
        return AnswerField(path, "choice", text, required, repeats, options)
    if path == "hernia.levels":
        return AnswerField(path, "choice", text, required, repeats, _level_options())
    kinds: dict[str, Kind] = {
        "int": "integer",
        "date": "date",
        "str": "string",
        "list": "string",
    }
    if spec.kind not in kinds:
        raise TypeError(f"{path}: no questionnaire item type for {spec.kind}")
    nullable = spec.nullable and spec.kind != "list"
    return AnswerField(path, kinds[spec.kind], text, required and not nullable, repeats)


@cache
def questionnaire_fields() -> tuple[AnswerField, ...]:
    """Every question of the assessment questionnaire, in contract order."""
    return tuple(_field(spec) for spec in described_fields().values())


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
            # the hernia group is required under disc_herniation only (the default)
            required=section in ("patient", "symptoms"),
            item=[_question(f) for f in questionnaire_fields() if f.section == section],
        )
        for section in section_names()
    ]
    return Questionnaire(
        id=resource_id("Questionnaire", QUESTIONNAIRE_CANONICAL),
        url=codes.QUESTIONNAIRE_URL,
        version=codes.QUESTIONNAIRE_VERSION,
        name="SpinewiseAssessment",
        title="Spinewise assessment for massage in disc herniation or non-specific "
        "back and neck pain",
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
