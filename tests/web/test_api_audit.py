"""``/api/v1/audit``: the clinic's audit trail, for its admins only."""

from __future__ import annotations

from tests.web.clinic import Clinic


def test_an_admin_reads_the_clinics_trail_filtered(clinic: Clinic) -> None:
    patient_id = clinic.patient()
    clinic.patient("therapist_b", "B-1")
    api = clinic.as_api("admin_a")
    query = f"patient_id={patient_id}&action=create&entity=patient"
    events = api.get(f"/api/v1/audit?{query}").json()
    assert [(e["entity"], e["patient_id"]) for e in events] == [("patient", patient_id)]
    everything = api.get("/api/v1/audit?limit=1000").json()
    assert {e["clinic_id"] for e in everything} == {clinic.world.clinic_a}


def test_reading_the_trail_is_itself_audited(clinic: Clinic) -> None:
    api = clinic.as_api("admin_a")
    api.get("/api/v1/audit?entity=patient")
    latest = api.get("/api/v1/audit?limit=2").json()
    assert any(e["entity"] == "audit" and e["interface"] == "api" for e in latest)


def test_clinicians_may_not_read_the_trail(clinic: Clinic) -> None:
    for name in ("therapist_a", "physician_a"):
        assert clinic.as_api(name).get("/api/v1/audit").status_code == 403


def test_bad_filters_are_named(clinic: Clinic) -> None:
    response = clinic.as_api("admin_a").get(
        "/api/v1/audit?action=dance&limit=0&since=yesterday&colour=red"
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert "colour" in fields


def test_filters_by_day_and_time_work_with_or_without_a_zone(clinic: Clinic) -> None:
    patient_id = clinic.patient()
    api = clinic.as_api("admin_a")

    def created(**params: str) -> list[int]:
        query = {
            "patient_id": str(patient_id),
            "action": "create",
            "entity": "patient",
            **params,
        }
        response = api.get("/api/v1/audit", params=query)
        assert response.status_code == 200, response.text
        return [e["patient_id"] for e in response.json()]

    for zone in ("", "Z", "+00:00"):
        past, future = f"2020-01-01T00:00:00{zone}", f"2999-01-01T00:00:00{zone}"
        assert created(since=past) == [patient_id]
        assert created(until=future) == [patient_id]
        assert created(since=future) == []
        assert created(until=past) == []
