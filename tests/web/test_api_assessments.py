"""``/api/v1`` assessments and decisions of stored patients."""

from __future__ import annotations

from tests.factories import assessment_data
from tests.web.clinic import Clinic
from tests.web.test_error_shape import assert_error_shape


def test_an_assessment_is_stored_and_screened_with_the_stores_clearance(
    clinic: Clinic,
) -> None:
    patient_id = clinic.patient()
    api = clinic.as_api("therapist_a")
    response = api.post(
        f"/api/v1/patients/{patient_id}/assessments", json=assessment_data()
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["assessment"]["number"] == 1
    # the document's approval is ignored: no physician has cleared this patient
    assert body["decision"]["decision"]["verdict"] == "awaiting_clearance"
    assert body["decision"]["input"]["clearance"] is None


def test_a_red_flag_is_an_urgent_referral(clinic: Clinic) -> None:
    patient_id = clinic.patient()
    data = assessment_data(red_flags={"saddle_anaesthesia": True})
    body = (
        clinic.as_api("therapist_a")
        .post(f"/api/v1/patients/{patient_id}/assessments", json=data)
        .json()
    )
    assert body["decision"]["decision"]["verdict"] == "urgent_referral"


def test_every_invalid_field_of_an_assessment_is_named(clinic: Clinic) -> None:
    patient_id = clinic.patient()
    data = assessment_data(hernia={"region": "lumbar", "levels": ["C5-C6"]})
    data["patient"]["age"] = "46"
    response = clinic.as_api("therapist_a").post(
        f"/api/v1/patients/{patient_id}/assessments", json=data
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert "patient.age" in fields and any(
        f.startswith("hernia.levels") for f in fields
    )


def test_assessments_are_listed_read_and_amended(clinic: Clinic) -> None:
    first = clinic.assessed()
    api = clinic.as_api("therapist_a")
    patient_id = first.assessment.patient_id
    listed = api.get(f"/api/v1/patients/{patient_id}/assessments").json()
    assert [a["id"] for a in listed] == [first.assessment.id]
    one = api.get(f"/api/v1/assessments/{first.assessment.id}").json()
    assert one["assessment"]["hernia"]["levels"] == ["L4-L5"]
    amended = api.post(
        f"/api/v1/assessments/{first.assessment.id}/amendments",
        json=assessment_data(symptoms={"pain_nrs": 6}),
    )
    assert amended.status_code == 201
    assert amended.json()["assessment"]["version"] == 2
    assert amended.json()["assessment"]["amends_id"] == first.assessment.id


def test_rescreening_the_current_assessment_gives_a_new_decision(
    clinic: Clinic,
) -> None:
    first = clinic.assessed()
    response = clinic.as_api("therapist_a").post(
        f"/api/v1/assessments/{first.assessment.id}/screening"
    )
    assert response.status_code == 200
    assert response.json()["id"] != first.decision.id


def test_rescreening_a_superseded_assessment_is_a_conflict(clinic: Clinic) -> None:
    first = clinic.assessed()
    api = clinic.as_api("therapist_a")
    api.post(
        f"/api/v1/patients/{first.assessment.patient_id}/assessments",
        json=assessment_data(),
    )
    response = api.post(f"/api/v1/assessments/{first.assessment.id}/screening")
    assert response.status_code == 409
    assert_error_shape(response.json(), 409)


def test_decisions_are_listed_and_read(clinic: Clinic) -> None:
    first = clinic.assessed()
    api = clinic.as_api("physician_a")
    listed = api.get(f"/api/v1/patients/{first.assessment.patient_id}/decisions").json()
    assert [d["id"] for d in listed] == [first.decision.id]
    one = api.get(f"/api/v1/decisions/{first.decision.id}").json()
    assert one["decision"]["verdict"] == "awaiting_clearance"
    assert one["kb_version"] == clinic.kb.version


def test_another_clinics_assessments_and_decisions_are_not_found(
    clinic: Clinic,
) -> None:
    theirs = clinic.assessed("therapist_b", "B-1")
    api = clinic.as_api("therapist_a")
    patient_id = theirs.assessment.patient_id
    for response in (
        api.post(f"/api/v1/patients/{patient_id}/assessments", json=assessment_data()),
        api.get(f"/api/v1/patients/{patient_id}/assessments"),
        api.get(f"/api/v1/assessments/{theirs.assessment.id}"),
        api.post(
            f"/api/v1/assessments/{theirs.assessment.id}/amendments",
            json=assessment_data(),
        ),
        api.post(f"/api/v1/assessments/{theirs.assessment.id}/screening"),
        api.get(f"/api/v1/patients/{patient_id}/decisions"),
        api.get(f"/api/v1/decisions/{theirs.decision.id}"),
    ):
        assert response.status_code == 404, response.request.url
        assert_error_shape(response.json(), 404)


def test_an_admin_may_not_submit_or_read_assessments(clinic: Clinic) -> None:
    first = clinic.assessed()
    api = clinic.as_api("admin_a")
    patient_id = first.assessment.patient_id
    for response in (
        api.post(f"/api/v1/patients/{patient_id}/assessments", json=assessment_data()),
        api.get(f"/api/v1/assessments/{first.assessment.id}"),
        api.get(f"/api/v1/decisions/{first.decision.id}"),
    ):
        assert response.status_code == 403
