"""The assessment as a QuestionnaireResponse to Spinewise's published Questionnaire.

Every contract field with a value becomes one answered item (linkId = contract path);
a three-valued field is always answered (``Y`` / ``N`` / ``unknown``, see
``fhir_questionnaire``); other null fields and empty lists are left out, which the
import reads back as null / empty. Read back with ``assessment_of``.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from fhir.resources.R4B.identifier import Identifier
from fhir.resources.R4B.questionnaireresponse import (
    QuestionnaireResponse,
    QuestionnaireResponseItem,
    QuestionnaireResponseItemAnswer,
)
from fhir.resources.R4B.reference import Reference

from spinewise.interop import codes
from spinewise.interop.codes import NO, UNKNOWN, YES, coding, resource_id, urn
from spinewise.interop.fhir.patient import PatientInfo, patient_reference
from spinewise.interop.fhir.questionnaire import (
    QUESTIONNAIRE_CANONICAL,
    AnswerField,
    questionnaire_fields,
    section_names,
)
from spinewise.models import Assessment


def response_id(info: PatientInfo, assessment_key: str) -> str:
    """The QuestionnaireResponse id of one assessment of one patient."""
    return resource_id("QuestionnaireResponse", info.key, assessment_key)


def response_reference(info: PatientInfo, assessment_key: str) -> Reference:
    """A reference to the QuestionnaireResponse of one assessment."""
    return Reference(reference=urn(response_id(info, assessment_key)))


def _value_of(assessment: Assessment, path: str) -> object:
    value: object = assessment
    for part in path.split("."):
        if value is None:
            return None
        value = getattr(value, part)
    return value


def _answer(field: AnswerField, value: object) -> QuestionnaireResponseItemAnswer:
    if field.kind == "tristate":
        code = UNKNOWN if value is None else (YES if value else NO)
        return QuestionnaireResponseItemAnswer(valueCoding=coding(code))
    if field.kind == "choice":
        word = value.value if isinstance(value, StrEnum) else str(value)
        option = next(o for o in field.options if o.code == word)
        return QuestionnaireResponseItemAnswer(valueCoding=coding(option))
    if field.kind == "integer" and isinstance(value, int):
        return QuestionnaireResponseItemAnswer(valueInteger=value)
    if field.kind == "date" and isinstance(value, dt.date):
        return QuestionnaireResponseItemAnswer(valueDate=value)
    return QuestionnaireResponseItemAnswer(valueString=str(value))


def _item(field: AnswerField, value: object) -> QuestionnaireResponseItem | None:
    if field.kind != "tristate" and value in (None, []):
        return None
    values = value if isinstance(value, list) else [value]
    return QuestionnaireResponseItem(
        linkId=field.path,
        text=field.text,
        answer=[_answer(field, v) for v in values],
    )


def _items(
    assessment: Assessment, section: str | None
) -> list[QuestionnaireResponseItem]:
    items = []
    for field in questionnaire_fields():
        if field.section != section:
            continue
        if section is not None and getattr(assessment, section) is None:
            continue
        item = _item(field, _value_of(assessment, field.path))
        if item is not None:
            items.append(item)
    return items


def questionnaire_response(
    info: PatientInfo, assessment: Assessment, assessment_key: str
) -> QuestionnaireResponse:
    """The assessment as a completed QuestionnaireResponse (authored = assessed_on)."""
    groups = [
        QuestionnaireResponseItem(linkId=section, item=items)
        for section in section_names()
        if (items := _items(assessment, section))
    ]
    return QuestionnaireResponse(
        id=response_id(info, assessment_key),
        identifier=Identifier(system=codes.ASSESSMENT_ID, value=assessment_key),
        questionnaire=QUESTIONNAIRE_CANONICAL,
        status="completed",
        subject=patient_reference(info),
        authored=assessment.assessed_on,
        item=[*_items(assessment, None), *groups],
    )
