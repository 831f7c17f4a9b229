"""Read a QuestionnaireResponse to Spinewise's Questionnaire back into an Assessment.

Lenient in form, strict in content: items may be nested in groups or flat, a
three-valued answer may be a ``Y``/``N``/data-absent-reason coding or a
``valueBoolean``; but an unknown ``linkId``, a wrong answer type, two answers to a
single question or a value the contract refuses is an ``InputError`` naming the
``linkId`` (which is the contract path, so the messages match ``spinewise screen``).
"""

from __future__ import annotations

from collections.abc import Iterator

from fhir.resources.R4B.questionnaireresponse import (
    QuestionnaireResponse,
    QuestionnaireResponseItem,
    QuestionnaireResponseItemAnswer,
)

from spinewise.errors import N_, FieldProblem, InputError
from spinewise.interop import codes
from spinewise.interop.fhir.condition_profile import (
    CodedProfile,
    with_coded_profile,
)
from spinewise.interop.fhir.questionnaire import (
    AnswerField,
    questionnaire_fields,
    section_names,
)
from spinewise.models import ASSESSMENT_SCHEMA, Assessment, parse_model


class _Problem(Exception):
    """One answer that cannot be read (internal; collected into an InputError)."""


def _walk(
    items: list[QuestionnaireResponseItem] | None,
) -> Iterator[QuestionnaireResponseItem]:
    for item in items or []:
        yield item
        yield from _walk(item.item)
        for answer in item.answer or []:
            yield from _walk(answer.item)


def _value_kind(answer: QuestionnaireResponseItemAnswer) -> str:
    names = [n for n, v in answer if n.startswith("value") and v is not None]
    return names[0] if names else "no value"


def _tristate(answer: QuestionnaireResponseItemAnswer) -> bool | None:
    if answer.valueBoolean is not None:
        return bool(answer.valueBoolean)
    c = answer.valueCoding
    if c is not None and c.system == codes.YES_NO and c.code in ("Y", "N"):
        return c.code == "Y"
    if c is not None and c.system == codes.DATA_ABSENT:
        return None
    raise _Problem(
        "expected valueCoding Y / N (v2-0136) or a data-absent-reason code, "
        f"or valueBoolean (got {_value_kind(answer)})"
    )


def _choice(field: AnswerField, answer: QuestionnaireResponseItemAnswer) -> str:
    allowed = [o.code for o in field.options]
    c = answer.valueCoding
    system = field.options[0].system
    if (
        c is not None
        and codes.local_name(c.system) in (None, system)
        and c.code in allowed
    ):
        return str(c.code)
    if answer.valueString is not None and answer.valueString in allowed:
        return str(answer.valueString)
    got = f"{c.system}|{c.code}" if c is not None else _value_kind(answer)
    raise _Problem(f"expected a code of {system}: {', '.join(allowed)} (got {got})")


def _scalar(field: AnswerField, answer: QuestionnaireResponseItemAnswer) -> object:
    if field.kind == "tristate":
        return _tristate(answer)
    if field.kind == "choice":
        return _choice(field, answer)
    value = {
        "integer": answer.valueInteger,
        "date": answer.valueDate,
        "string": answer.valueString,
    }[field.kind]
    if value is None:
        expected = {"integer": "valueInteger", "date": "valueDate"}
        wanted = expected.get(field.kind, "valueString")
        raise _Problem(f"expected {wanted} (got {_value_kind(answer)})")
    return value


def _read(field: AnswerField, item: QuestionnaireResponseItem) -> object:
    answers = item.answer or []
    if field.repeats:
        return [_scalar(field, a) for a in answers]
    if len(answers) > 1:
        raise _Problem(f"one answer expected, got {len(answers)}")
    if not answers:
        return None
    return _scalar(field, answers[0])


def _collect(
    qr: QuestionnaireResponse, problems: list[FieldProblem]
) -> dict[str, QuestionnaireResponseItem]:
    fields = {f.path for f in questionnaire_fields()}
    groups = set(section_names())
    found: dict[str, QuestionnaireResponseItem] = {}
    for item in _walk(qr.item):
        link = str(item.linkId)
        if link in groups:
            continue
        if link not in fields:
            problems.append(
                FieldProblem(
                    link, N_("unknown question; not in the Spinewise assessment")
                )
            )
        elif link in found:
            problems.append(FieldProblem(link, N_("answered twice")))
        else:
            found[link] = item
    return found


def _check_questionnaire(
    qr: QuestionnaireResponse, problems: list[FieldProblem]
) -> None:
    name = str(qr.questionnaire or "")
    url, _, version = name.partition("|")
    if url != codes.QUESTIONNAIRE_URL or version not in (
        "",
        codes.QUESTIONNAIRE_VERSION,
    ):
        problems.append(
            FieldProblem(
                "QuestionnaireResponse.questionnaire",
                N_(
                    "expected {QUESTIONNAIRE_URL}|{QUESTIONNAIRE_VERSION} (got {value})",
                    QUESTIONNAIRE_URL=codes.QUESTIONNAIRE_URL,
                    QUESTIONNAIRE_VERSION=codes.QUESTIONNAIRE_VERSION,
                    value=name or "none",
                ),
            )
        )


def contract_data(
    qr: QuestionnaireResponse,
) -> tuple[dict[str, object], list[FieldProblem]]:
    """The contract JSON the response answers, with the problems found reading it."""
    problems: list[FieldProblem] = []
    _check_questionnaire(qr, problems)
    found = _collect(qr, problems)
    data: dict[str, object] = {"schema": ASSESSMENT_SCHEMA}
    for field in questionnaire_fields():
        item = found.get(field.path)
        if item is None:
            continue
        try:
            value = _read(field, item)
        except _Problem as problem:
            problems.append(FieldProblem(field.path, str(problem)))
            continue
        if field.section is None:
            data[field.path] = value
        else:
            section = data.setdefault(field.section, {})
            assert isinstance(section, dict)
            section[field.path.split(".", 1)[1]] = value
    return data, problems


def assessment_of(
    qr: QuestionnaireResponse, coded: CodedProfile | None = None
) -> Assessment:
    """The contract Assessment answered by ``qr``; an InputError names each linkId.

    ``coded``: the profile coded Conditions give, used only where the answers give
    none (``condition_profile.with_coded_profile``)."""
    data, problems = contract_data(qr)
    data = with_coded_profile(data, coded)
    try:
        assessment = parse_model(Assessment, data)
    except InputError as error:
        reported = {p.field for p in problems}
        problems += [p for p in error.problems if p.field not in reported]
        raise InputError(problems) from None
    if problems:
        raise InputError(problems)
    return assessment
