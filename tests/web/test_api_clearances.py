"""``/api/v1`` clearance: the queue, requests, the physician's decision."""

from __future__ import annotations

from tests.web.clinic import Clinic
from tests.web.test_error_shape import assert_error_shape

RESTRICT = {
    "status": "approved",
    "valid_until": "2027-03-31",
    "excluded_modalities": ["vacuum"],
    "reason": "Bruises easily.",
}


def test_a_request_joins_the_queue_and_a_physician_decides_it(clinic: Clinic) -> None:
    patient_id = clinic.assessed().assessment.patient_id
    therapist, physician = clinic.as_api("therapist_a"), clinic.as_api("physician_a")
    asked = therapist.post(
        f"/api/v1/patients/{patient_id}/clearance-requests", json={"note": "please"}
    )
    assert asked.status_code == 201 and asked.json()["status"] == "pending"
    queue = physician.get("/api/v1/clearances").json()
    assert [w["patient"]["id"] for w in queue] == [patient_id]
    decided = physician.post(f"/api/v1/patients/{patient_id}/clearances", json=RESTRICT)
    assert decided.status_code == 201, decided.text
    outcome = decided.json()
    assert outcome["clearance"]["excluded_modalities"] == ["vacuum"]
    decision = outcome["screening"]["decision"]
    assert decision["verdict"] == "proceed"
    assert decision["modalities"]["vacuum"]["excluded_by_physician"] is True
    assert physician.get("/api/v1/clearances").json() == []
    history = therapist.get(f"/api/v1/patients/{patient_id}/clearances").json()
    assert [c["status"] for c in history] == ["approved"]


def test_an_empty_request_body_is_a_request_without_a_note(clinic: Clinic) -> None:
    patient_id = clinic.assessed().assessment.patient_id
    response = clinic.as_api("therapist_a").post(
        f"/api/v1/patients/{patient_id}/clearance-requests"
    )
    assert response.status_code == 201
    assert response.json()["request_note"] is None


def test_a_second_pending_request_is_a_conflict(clinic: Clinic) -> None:
    patient_id = clinic.assessed().assessment.patient_id
    api = clinic.as_api("therapist_a")
    path = f"/api/v1/patients/{patient_id}/clearance-requests"
    assert api.post(path).status_code == 201
    response = api.post(path)
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "patient_id"


def test_a_decline_without_a_reason_names_the_reason(clinic: Clinic) -> None:
    patient_id = clinic.assessed().assessment.patient_id
    response = clinic.as_api("physician_a").post(
        f"/api/v1/patients/{patient_id}/clearances",
        json={"status": "declined", "valid_until": 5},
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert "valid_until" in fields


def test_a_reason_is_required_to_restrict(clinic: Clinic) -> None:
    patient_id = clinic.assessed().assessment.patient_id
    response = clinic.as_api("physician_a").post(
        f"/api/v1/patients/{patient_id}/clearances",
        json={"status": "approved", "excluded_modalities": ["vacuum"]},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "reason"


def test_only_a_physician_records_a_clearance(clinic: Clinic) -> None:
    patient_id = clinic.assessed().assessment.patient_id
    for name in ("therapist_a", "admin_a"):
        response = clinic.as_api(name).post(
            f"/api/v1/patients/{patient_id}/clearances", json=RESTRICT
        )
        assert response.status_code == 403, name
        assert_error_shape(response.json(), 403)


def test_another_clinics_patient_cannot_be_cleared_or_seen(clinic: Clinic) -> None:
    theirs = clinic.assessed("therapist_b", "B-1").assessment.patient_id
    clinic.as_api("therapist_b").post(f"/api/v1/patients/{theirs}/clearance-requests")
    physician = clinic.as_api("physician_a")
    assert physician.get("/api/v1/clearances").json() == []
    for response in (
        physician.post(f"/api/v1/patients/{theirs}/clearances", json=RESTRICT),
        physician.post(f"/api/v1/patients/{theirs}/clearance-requests"),
        physician.get(f"/api/v1/patients/{theirs}/clearances"),
    ):
        assert response.status_code == 404


def test_a_patient_without_an_assessment_has_nothing_to_clear(clinic: Clinic) -> None:
    patient_id = clinic.patient()
    response = clinic.as_api("physician_a").post(
        f"/api/v1/patients/{patient_id}/clearances", json=RESTRICT
    )
    assert response.status_code == 409
