"""``/api/v1`` session notes: record (stop rules at once), list, amend."""

from __future__ import annotations

from tests.web.clinic import Clinic, session_data
from tests.web.test_error_shape import assert_error_shape


def test_a_therapist_records_a_session_and_the_stop_rules_answer(
    clinic: Clinic,
) -> None:
    plan = clinic.planned()
    api = clinic.as_api("therapist_a")
    response = api.post(
        f"/api/v1/patients/{plan.patient_id}/sessions", json=session_data(plan)
    )
    assert response.status_code == 201, response.text
    outcome = response.json()
    assert outcome["note"]["stop"]["stop"] is False
    assert outcome["flag"] is None
    notes = api.get(f"/api/v1/patients/{plan.patient_id}/sessions").json()
    assert [n["session_number"] for n in notes] == [1]


def test_a_new_neurological_symptom_stops_the_plan(clinic: Clinic) -> None:
    plan = clinic.planned()
    data = session_data(plan, neurological_symptoms=["saddle_numbness"])
    outcome = (
        clinic.as_api("therapist_a")
        .post(f"/api/v1/patients/{plan.patient_id}/sessions", json=data)
        .json()
    )
    assert outcome["note"]["stop"]["suspend_plan"] is True
    assert outcome["plan"]["status"] == "suspended"
    assert outcome["flag"] is not None
    assert outcome["note"]["stop"]["reasons"][0]["source"]


def test_a_recorded_session_is_amended_as_a_new_version(clinic: Clinic) -> None:
    plan = clinic.planned()
    note = clinic.session(plan).note
    response = clinic.as_api("therapist_a").post(
        f"/api/v1/session-notes/{note.id}/amendments",
        json={"record": session_data(plan, pain_nrs_after=2), "reason": "typo"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["note"]["version"] == 2
    assert response.json()["note"]["amends_id"] == note.id


def test_an_amendment_needs_a_reason(clinic: Clinic) -> None:
    plan = clinic.planned()
    note = clinic.session(plan).note
    response = clinic.as_api("therapist_a").post(
        f"/api/v1/session-notes/{note.id}/amendments",
        json={"record": session_data(plan), "reason": ""},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "reason"


def test_every_invalid_field_of_a_session_is_named(clinic: Clinic) -> None:
    plan = clinic.planned()
    data = session_data(plan, pain_nrs_before=11, performed_on="yesterday")
    response = clinic.as_api("therapist_a").post(
        f"/api/v1/patients/{plan.patient_id}/sessions", json=data
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"pain_nrs_before", "performed_on"}


def test_a_session_outside_the_plan_is_refused_naming_the_field(clinic: Clinic) -> None:
    plan = clinic.planned()
    data = session_data(plan, steps_done=[99])
    response = clinic.as_api("therapist_a").post(
        f"/api/v1/patients/{plan.patient_id}/sessions", json=data
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "steps_done[0]"


def test_recording_a_session_twice_is_a_conflict(clinic: Clinic) -> None:
    plan = clinic.planned()
    clinic.session(plan)
    response = clinic.as_api("therapist_a").post(
        f"/api/v1/patients/{plan.patient_id}/sessions", json=session_data(plan)
    )
    assert response.status_code == 409
    assert_error_shape(response.json(), 409)


def test_only_a_therapist_records_sessions(clinic: Clinic) -> None:
    plan = clinic.planned()
    for name in ("physician_a", "admin_a"):
        response = clinic.as_api(name).post(
            f"/api/v1/patients/{plan.patient_id}/sessions", json=session_data(plan)
        )
        assert response.status_code == 403, name


def test_another_clinics_sessions_are_not_found(clinic: Clinic) -> None:
    plan = clinic.planned("b", "B-1")
    note = clinic.session(plan, suffix="b").note
    api = clinic.as_api("therapist_a")
    for response in (
        api.post(
            f"/api/v1/patients/{plan.patient_id}/sessions", json=session_data(plan)
        ),
        api.get(f"/api/v1/patients/{plan.patient_id}/sessions"),
        api.post(
            f"/api/v1/session-notes/{note.id}/amendments",
            json={"record": session_data(plan), "reason": "x"},
        ),
    ):
        assert response.status_code == 404, response.request.url
