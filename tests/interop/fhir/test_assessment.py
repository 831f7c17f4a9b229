"""Assessment <-> QuestionnaireResponse, the Condition and the pain Observation."""

from __future__ import annotations

from typing import Any

import pytest
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from tests.factories import make_assessment
from tests.interop.fhir_support import INFO, reparsed

from spinewise.errors import InputError
from spinewise.interop import (
    assessment_of,
    condition_resource,
    pain_observation,
    questionnaire_response,
)
from spinewise.interop.codes import DATA_ABSENT, LOINC, YES_NO


def _answers(qr: QuestionnaireResponse) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for item in qr.item or []:
        for child in [item, *(item.item or [])]:
            if child.answer:
                found[child.linkId] = child.answer
    return found


def _json(qr: QuestionnaireResponse) -> dict[str, Any]:
    data: dict[str, Any] = qr.model_dump(mode="json")
    return data


def _with_answer(link: str, answer: dict[str, Any]) -> QuestionnaireResponse:
    data = _json(questionnaire_response(INFO, make_assessment(), "a-1"))
    for group in data["item"]:
        for child in group.get("item", []):
            if child["linkId"] == link:
                child["answer"] = [answer]
    return QuestionnaireResponse.model_validate(data)


def _problems(qr: QuestionnaireResponse) -> dict[str, str]:
    with pytest.raises(InputError) as caught:
        assessment_of(qr)
    return {p.field: p.message for p in caught.value.problems}


def test_the_baseline_assessment_round_trips_through_a_questionnaire_response() -> None:
    assessment = make_assessment(
        medications={"analgesics": ["ibuprofen", "paracetamol"]}
    )
    qr = reparsed(questionnaire_response(INFO, assessment, "a-1"))
    assert assessment_of(qr) == assessment


def test_an_unknown_red_flag_is_answered_unknown_and_read_back_as_null() -> None:
    assessment = make_assessment(red_flags={"fever": None, "cancer_history": True})
    qr = questionnaire_response(INFO, assessment, "a-1")
    answers = _answers(qr)
    fever = answers["red_flags.fever"][0].valueCoding
    assert (fever.system, fever.code) == (DATA_ABSENT, "unknown")
    cancer = answers["red_flags.cancer_history"][0].valueCoding
    assert (cancer.system, cancer.code) == (YES_NO, "Y")
    back = assessment_of(qr)
    assert back.red_flags.fever is None
    assert back.red_flags.cancer_history is True


def test_null_and_empty_fields_are_left_out_and_read_back_as_such() -> None:
    assessment = make_assessment(clearance=None, symptoms={"pain_trend": None})
    qr = questionnaire_response(INFO, assessment, "a-1")
    answers = _answers(qr)
    assert "symptoms.pain_trend" not in answers
    assert "medications.analgesics" not in answers
    assert not any(link.startswith("clearance") for link in answers)
    assert assessment_of(qr) == assessment


def test_a_value_boolean_and_asked_unknown_are_accepted_on_import() -> None:
    yes = _with_answer("red_flags.fever", {"valueBoolean": True})
    assert assessment_of(yes).red_flags.fever is True
    asked = _with_answer(
        "red_flags.fever",
        {"valueCoding": {"system": DATA_ABSENT, "code": "asked-unknown"}},
    )
    assert assessment_of(asked).red_flags.fever is None


def test_a_wrong_answer_type_names_the_link_id() -> None:
    qr = _with_answer("symptoms.pain_nrs", {"valueString": "seven"})
    problems = _problems(qr)
    assert list(problems) == ["symptoms.pain_nrs"]
    assert "valueInteger" in problems["symptoms.pain_nrs"]


def test_a_value_the_contract_refuses_names_the_link_id() -> None:
    problems = _problems(_with_answer("symptoms.pain_nrs", {"valueInteger": 11}))
    assert list(problems) == ["symptoms.pain_nrs"]


def test_a_code_outside_the_answer_options_names_the_link_id() -> None:
    qr = _with_answer(
        "hernia.region",
        {"valueCoding": {"system": "urn:spinewise:region", "code": "sacral"}},
    )
    problems = _problems(qr)
    assert "lumbar" in problems["hernia.region"]


def test_an_unknown_question_and_a_missing_required_answer_are_both_reported() -> None:
    data = _json(questionnaire_response(INFO, make_assessment(), "a-1"))
    data["item"] = [i for i in data["item"] if i["linkId"] != "assessed_on"]
    data["item"].append(
        {"linkId": "red_flags.headache", "answer": [{"valueBoolean": True}]}
    )
    problems = _problems(QuestionnaireResponse.model_validate(data))
    assert "red_flags.headache" in problems
    assert problems["assessed_on"].startswith("required")


def test_an_item_answered_twice_is_refused() -> None:
    data = _json(questionnaire_response(INFO, make_assessment(), "a-1"))
    data["item"].append({"linkId": "patient.age", "answer": [{"valueInteger": 50}]})
    problems = _problems(QuestionnaireResponse.model_validate(data))
    assert problems["patient.age"] == "answered twice"


def test_the_condition_carries_each_level_as_a_body_site_and_no_guessed_snomed() -> (
    None
):
    assessment = make_assessment(
        hernia={"levels": ["L4-L5", "L5-S1"], "imaging": "none"}
    )
    condition = reparsed(condition_resource(INFO, assessment, "a-1"))
    sites = [s.text for s in condition.bodySite]
    assert sites == ["Lumbar spine", "L4-L5 disc", "L5-S1 disc"]
    assert condition.verificationStatus.coding[0].code == "provisional"
    assert "L4-L5, L5-S1" in condition.code.text
    systems = {
        c.system for s in [condition.code, *condition.bodySite] for c in s.coding
    }
    assert "http://snomed.info/sct" not in systems


def test_the_pain_observation_is_loinc_72514_3_with_the_nrs() -> None:
    assessment = make_assessment(symptoms={"pain_nrs": 6})
    observation = reparsed(pain_observation(INFO, assessment, "a-1"))
    coding = observation.code.coding[0]
    assert (coding.system, coding.code) == (LOINC, "72514-3")
    assert observation.valueInteger == 6
    assert str(observation.effectiveDateTime) == "2026-11-24"
