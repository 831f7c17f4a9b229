"""The strict validator of the test suite (tests/fhir_validator.py) refuses what R4
refuses, so its silence on the exports means something."""

from __future__ import annotations

from typing import Any

import pytest
from tests.fhir_validator import Issue, errors, validate

PATIENT = "urn:uuid:0b0f5b0e-1111-4000-8000-000000000001"
ISSUE = "urn:uuid:0b0f5b0e-1111-4000-8000-000000000002"
GUIDANCE = "urn:uuid:0b0f5b0e-1111-4000-8000-000000000003"
NARRATIVE = {
    "status": "generated",
    "div": '<div xmlns="http://www.w3.org/1999/xhtml">x</div>',
}


def _bundle(guidance: dict[str, Any]) -> dict[str, Any]:
    resources = [
        (PATIENT, {"resourceType": "Patient", "id": PATIENT[9:], "gender": "female"}),
        (
            ISSUE,
            {
                "resourceType": "DetectedIssue",
                "id": ISSUE[9:],
                "status": "final",
                "patient": {"reference": PATIENT},
            },
        ),
        (
            GUIDANCE,
            {"resourceType": "GuidanceResponse", "id": GUIDANCE[9:], **guidance},
        ),
    ]
    for _, resource in resources:
        resource["text"] = NARRATIVE
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"fullUrl": url, "resource": r} for url, r in resources],
    }


GOOD = {
    "moduleUri": "https://spinewise.example.org/fhir/PlanDefinition/kb",
    "status": "success",
    "subject": {"reference": PATIENT},
}


def _without_narrative() -> dict[str, Any]:
    document = _bundle(
        {
            **GOOD,
            "extension": [{"url": "urn:example:ext", "valueCode": "a"}],
            "reasonCode": [{"coding": [{"system": "urn:example:codes", "code": "a"}]}],
        }
    )
    patient = document["entry"][0]["resource"]
    del patient["text"]
    patient["maritalStatus"] = {
        "coding": [{"system": "urn:example:codes", "code": "a"}]
    }
    observation = {
        "resourceType": "Observation",
        "status": "final",
        "code": {"text": "x"},
    }
    document["entry"].append({"resource": {**observation, "text": NARRATIVE}})
    return document


YES_NO = "http://terminology.hl7.org/CodeSystem/v2-0136"


def _answered(code: str) -> dict[str, Any]:
    """A Questionnaire with one yes/no question whose only option is Y, answered."""
    questionnaire = {
        "resourceType": "Questionnaire",
        "url": "https://example.test/Questionnaire/q",
        "status": "active",
        "text": NARRATIVE,
        "item": [
            {
                "linkId": "a",
                "type": "choice",
                "required": True,
                "answerOption": [{"valueCoding": {"system": YES_NO, "code": "Y"}}],
            }
        ],
    }
    answer = {"valueCoding": {"system": YES_NO, "code": code}}
    response = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": "https://example.test/Questionnaire/q",
        "status": "completed",
        "text": NARRATIVE,
        "item": [{"linkId": "a", "answer": [answer]}],
    }
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": questionnaire}, {"resource": response}],
    }


CASES = {
    "valid": _bundle(GOOD),
    "reason-is-issue": _bundle({**GOOD, "reasonReference": [{"reference": ISSUE}]}),
    "dangling": _bundle(
        {**GOOD, "subject": {"reference": "urn:uuid:" + "0" * 8 + ISSUE[17:]}}
    ),
    "bad-code": _bundle({**GOOD, "status": "fine"}),
    "no-status": _bundle({k: v for k, v in GOOD.items() if k != "status"}),
    "bad-type": _bundle({**GOOD, "subject": {"reference": PATIENT, "extension": "x"}}),
    "warnings": _without_narrative(),
    "answer-ok": _answered("Y"),
    "answer-not-an-option": _answered("N"),
}


@pytest.fixture(scope="module")
def found() -> dict[str, list[Issue]]:
    """One validator run for every case."""
    return validate(CASES)


def _errors(found: dict[str, list[Issue]], case: str) -> list[tuple[str, str]]:
    return [(i.kind, i.path) for i in errors(found[case])]


def test_a_valid_bundle_has_no_errors(found: dict[str, list[Issue]]) -> None:
    assert _errors(found, "valid") == []


def test_a_guidance_reason_pointing_at_a_detected_issue_is_an_error(
    found: dict[str, list[Issue]],
) -> None:
    assert _errors(found, "reason-is-issue") == [
        ("reference-target", "Bundle.entry[2].resource.reasonReference[0]")
    ]


def test_a_reference_to_no_entry_is_an_error(found: dict[str, list[Issue]]) -> None:
    assert ("reference-unresolved", "Bundle.entry[2].resource.subject") in _errors(
        found, "dangling"
    )


def test_a_code_outside_its_required_value_set_is_an_error(
    found: dict[str, list[Issue]],
) -> None:
    assert [k for k, _ in _errors(found, "bad-code")] == ["binding"]


def test_a_missing_required_element_and_a_wrong_type_are_errors(
    found: dict[str, list[Issue]],
) -> None:
    assert _errors(found, "no-status")
    assert _errors(found, "bad-type")


def test_unknown_code_systems_extensions_and_missing_narrative_are_warnings(
    found: dict[str, list[Issue]],
) -> None:
    assert errors(found["warnings"]) == []
    assert {i.kind for i in found["warnings"]} == {
        "extension-unknown",
        "code-system-unknown",
        "invariant:dom-6",
        "binding-extensible",
        "observation-performer",
    }


def test_a_response_is_checked_against_its_questionnaire(
    found: dict[str, list[Issue]],
) -> None:
    assert _errors(found, "answer-ok") == []
    assert _errors(found, "answer-not-an-option") == [
        ("questionnaire", "Bundle.entry[1].resource.item[0].answer[0]")
    ]
