"""``/api/v1/patients``: register, list with where each stands, read one."""

from __future__ import annotations

from tests.web.clinic import Clinic
from tests.web.test_error_shape import assert_error_shape


def test_a_therapist_registers_a_patient_and_finds_them_in_the_list(
    clinic: Clinic,
) -> None:
    api = clinic.as_api("therapist_a")
    created = api.post(
        "/api/v1/patients",
        json={"record_number": "P-7", "name": "Ann Lee", "birth_date": "1980-04-02"},
    )
    assert created.status_code == 201, created.text
    patient = created.json()
    assert patient["record_number"] == "P-7"
    assert patient["clinic_id"] == clinic.world.clinic_a
    listed = api.get("/api/v1/patients").json()
    assert [p["patient"]["id"] for p in listed] == [patient["id"]]
    assert listed[0]["verdict"] is None and listed[0]["assessment_id"] is None


def test_the_list_shows_each_patients_current_verdict(clinic: Clinic) -> None:
    clinic.assessed(number="P-1")
    clinic.assessed(number="P-2", red_flags={"saddle_anaesthesia": True})
    listed = clinic.as_api("physician_a").get("/api/v1/patients").json()
    verdicts = {p["patient"]["record_number"]: p["verdict"] for p in listed}
    assert verdicts == {"P-1": "awaiting_clearance", "P-2": "urgent_referral"}


def test_one_patient_has_the_decision_clearance_and_plan_state(
    clinic: Clinic,
) -> None:
    result = clinic.assessed()
    clinic.approve(result.assessment.patient_id)
    api = clinic.as_api("therapist_a")
    body = api.get(f"/api/v1/patients/{result.assessment.patient_id}").json()
    assert body["verdict"] == "proceed"
    assert body["clearance"]["status"] == "approved"
    assert body["assessment_id"] == result.assessment.id
    assert body["plan"] is None


def test_every_invalid_field_of_a_new_patient_is_named(clinic: Clinic) -> None:
    response = clinic.as_api("therapist_a").post(
        "/api/v1/patients",
        json={"record_number": "has space", "name": "", "birth_date": 0, "x": 1},
    )
    assert response.status_code == 422
    body = response.json()
    assert_error_shape(body, 422)
    fields = {e["field"] for e in body["errors"]}
    assert fields == {"record_number", "name", "birth_date", "x"}


def test_a_duplicate_record_number_is_a_409_on_the_field(clinic: Clinic) -> None:
    clinic.patient(number="P-1")
    response = clinic.as_api("therapist_a").post(
        "/api/v1/patients", json={"record_number": "P-1", "name": "Someone"}
    )
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "record_number"


def test_another_clinics_patient_is_not_found(clinic: Clinic) -> None:
    patient_id = clinic.patient("therapist_b", "B-1")
    response = clinic.as_api("therapist_a").get(f"/api/v1/patients/{patient_id}")
    assert response.status_code == 404
    assert_error_shape(response.json(), 404)
    listed = clinic.as_api("therapist_a").get("/api/v1/patients").json()
    assert listed == []


def test_an_unknown_patient_is_not_found(clinic: Clinic) -> None:
    response = clinic.as_api("therapist_a").get("/api/v1/patients/999999")
    assert response.status_code == 404


def test_an_admin_may_not_read_patients(clinic: Clinic) -> None:
    api = clinic.as_api("admin_a")
    for response in (
        api.get("/api/v1/patients"),
        api.post("/api/v1/patients", json={"record_number": "P-9", "name": "X"}),
    ):
        assert response.status_code == 403
        assert_error_shape(response.json(), 403)


def test_patients_need_a_token(clinic: Clinic) -> None:
    response = clinic.anonymous().get("/api/v1/patients")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_an_id_out_of_range_is_a_422_on_the_path(clinic: Clinic) -> None:
    api = clinic.as_api("therapist_a")
    response = api.get(f"/api/v1/patients/{2**63}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "patient_id"
    assert api.get("/api/v1/patients?limit=0").status_code == 422


def register(clinic: Clinic, name: str, number: str, who: str = "therapist_a") -> None:
    response = clinic.as_api(who).post(
        "/api/v1/patients", json={"record_number": number, "name": name}
    )
    assert response.status_code == 201, response.text


def test_the_list_searches_any_case_and_says_how_many_match(clinic: Clinic) -> None:
    for number, name in [
        ("P-1", "Анна Смирнова"),
        ("P-2", "Ann Lee"),
        ("P-3", "Борис"),
    ]:
        register(clinic, name, number)
    api = clinic.as_api("therapist_a")
    found = api.get("/api/v1/patients", params={"q": "анна".upper()})
    assert found.status_code == 200
    assert [p["patient"]["record_number"] for p in found.json()] == ["P-1"]
    assert found.headers["X-Total-Count"] == "1"
    assert "X-Next-Cursor" not in found.headers
    assert api.get("/api/v1/patients", params={"q": "%"}).json() == []


def test_a_cursor_walks_the_list_and_another_clinics_or_a_forged_one_is_refused(
    clinic: Clinic,
) -> None:
    for index in range(5):
        register(clinic, f"Patient {index}", f"P-{index}")
        register(clinic, f"Patient {index}", f"B-{index}", "therapist_b")
    api = clinic.as_api("therapist_a")
    seen: list[str] = []
    params: dict[str, str] = {"limit": "2", "sort": "record"}
    while True:
        page = api.get("/api/v1/patients", params=params)
        assert page.status_code == 200, page.text
        assert page.headers["X-Total-Count"] == "5"
        seen += [p["patient"]["record_number"] for p in page.json()]
        if "X-Next-Cursor" not in page.headers:
            break
        assert 'rel="next"' in page.headers["Link"]
        params["cursor"] = page.headers["X-Next-Cursor"]
    assert seen == [f"P-{i}" for i in range(5)]
    theirs = clinic.as_api("therapist_b").get(
        "/api/v1/patients", params={"limit": "1", "sort": "record"}
    )
    stolen = theirs.headers["X-Next-Cursor"]
    forged = stolen[:-3] + ("AAA" if not stolen.endswith("AAA") else "BBB")
    for cursor, sort in [(stolen, "record"), (forged, "record"), ("x", "name")]:
        refused = api.get("/api/v1/patients", params={"cursor": cursor, "sort": sort})
        assert refused.status_code == 422, (cursor, refused.text)
        body = refused.json()
        assert_error_shape(body, 422)
        assert body["errors"][0]["field"].endswith("cursor")


def test_a_ten_thousand_character_search_is_refused_naming_the_field(
    clinic: Clinic,
) -> None:
    refused = clinic.as_api("therapist_a").get(
        "/api/v1/patients", params={"q": "a" * 10_000}
    )
    assert refused.status_code == 422
    assert_error_shape(refused.json(), 422)
    assert refused.json()["errors"][0]["field"].endswith("q")
