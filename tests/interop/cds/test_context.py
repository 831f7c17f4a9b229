"""Prefetch: the three states of a key, the latest response of the patient, reading it."""

from __future__ import annotations

import pytest
from tests.factories import make_assessment
from tests.interop.fhir_server import patient_json, response_json, searchset

from spinewise.errors import InputError
from spinewise.interop import (
    ABSENT,
    PREFETCH,
    check_patient,
    choose_response,
    prefetched,
    read_response,
    render_query,
)

PID = "1288992"


def test_templates_ask_for_the_patient_and_the_latest_spinewise_response() -> None:
    assert render_query(PREFETCH["patient"], {"patientId": PID}) == f"Patient/{PID}"
    query = render_query(PREFETCH["assessment"], {"patientId": PID})
    assert query.startswith(f"QuestionnaireResponse?subject=Patient/{PID}&")
    assert "questionnaire=urn:spinewise:questionnaire:assessment" in query
    assert "_sort=-authored" in query and "_count=1" in query


def test_a_token_value_is_url_quoted() -> None:
    assert render_query("Patient/{{context.patientId}}", {"patientId": "a/b"}) == (
        "Patient/a%2Fb"
    )


def test_a_template_without_its_context_field_names_it() -> None:
    with pytest.raises(InputError) as caught:
        render_query(PREFETCH["patient"], {})
    assert caught.value.problems[0].field == "context.patientId"


def test_absent_null_and_operation_outcome_keys_are_told_apart() -> None:
    outcome = {"resourceType": "OperationOutcome", "issue": []}
    assert prefetched(None, "patient") is ABSENT
    assert prefetched({}, "patient") is ABSENT
    assert prefetched({"patient": None}, "patient") is None
    assert prefetched({"patient": outcome}, "patient") is ABSENT


def test_a_prefetch_value_that_is_not_a_resource_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        prefetched({"assessment": "yes"}, "assessment")
    assert caught.value.problems[0].field == "prefetch.assessment"


def test_the_latest_response_of_the_patient_is_chosen() -> None:
    old = response_json(PID, make_assessment(assessed_on="2026-10-01"), "old")
    new = response_json(PID, make_assessment(), "new")
    chosen = choose_response(searchset(old, new), PID, "prefetch.assessment")
    assert chosen.response is not None and chosen.response["id"] == "new"


def test_responses_of_other_patients_questionnaires_or_drafts_are_ignored() -> None:
    other_patient = response_json("someone-else", make_assessment(), "x")
    draft = {**response_json(PID, make_assessment(), "d"), "status": "in-progress"}
    other_form = {**response_json(PID, make_assessment(), "f"), "questionnaire": "q"}
    chosen = choose_response(
        searchset(other_patient, draft, other_form), PID, "prefetch.assessment"
    )
    assert chosen.response is None
    assert chosen.ignored == 3


def test_a_lone_response_is_accepted_and_an_empty_search_finds_none() -> None:
    single = response_json(PID, make_assessment())
    assert choose_response(single, PID, "f").response == single
    assert choose_response(searchset(), PID, "f").response is None


def test_a_resource_of_another_kind_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        choose_response({"resourceType": "Observation"}, PID, "prefetch.assessment")
    assert caught.value.problems[0].field == "prefetch.assessment.resourceType"


def test_a_patient_of_another_id_is_refused() -> None:
    check_patient(patient_json(PID), PID, "prefetch.patient")
    check_patient(None, PID, "prefetch.patient")
    with pytest.raises(InputError) as caught:
        check_patient(patient_json("other"), PID, "prefetch.patient")
    assert caught.value.problems[0].field == "prefetch.patient.id"


def test_a_response_reads_back_into_the_same_assessment() -> None:
    assessment = make_assessment(symptoms={"radicular_pain": True})
    assert read_response(response_json(PID, assessment)) == assessment


def test_an_invalid_fhir_response_names_the_element() -> None:
    broken = {**response_json(PID, make_assessment()), "status": 5}
    with pytest.raises(InputError) as caught:
        read_response(broken)
    assert any("status" in p.field for p in caught.value.problems)
