"""``/api/v1`` course plans: issue, read, PDFs, body chart, re-screen flags."""

from __future__ import annotations

from tests.factories import assessment_data
from tests.web.clinic import Clinic
from tests.web.test_error_shape import assert_error_shape


def cleared(clinic: Clinic, suffix: str = "a", number: str = "P-1") -> int:
    result = clinic.assessed(f"therapist_{suffix}", number)
    clinic.approve(result.assessment.patient_id, f"physician_{suffix}")
    return result.assessment.patient_id


def test_a_plan_is_issued_from_the_latest_decision(clinic: Clinic) -> None:
    patient_id = cleared(clinic)
    api = clinic.as_api("therapist_a")
    response = api.post(
        f"/api/v1/patients/{patient_id}/plans",
        json={"start_date": "2026-12-01", "modalities": ["classical"]},
    )
    assert response.status_code == 201, response.text
    plan = response.json()
    assert plan["status"] == "active" and plan["start_date"] == "2026-12-01"
    assert [c["modality"] for c in plan["plan"]["courses"]] == ["classical"]
    assert api.get(f"/api/v1/patients/{patient_id}/plan").json()["id"] == plan["id"]
    assert api.get(f"/api/v1/plans/{plan['id']}").json()["id"] == plan["id"]


def test_every_step_near_the_hernia_says_where_it_must_never_work(
    clinic: Clinic,
) -> None:
    patient_id = cleared(clinic)
    api = clinic.as_api("therapist_a")
    plan = api.post(f"/api/v1/patients/{patient_id}/plans").json()["plan"]
    steps = [
        step
        for course in plan["courses"]
        for session in course["sessions"]
        for step in session["steps"]
    ]
    kneading = [s for s in steps if s["kind"] == "kneading"]
    assert kneading and all(
        "never over paraspinal muscles L3\u2013S1" in s["wording"]
        and "(above L3)" in s["wording"]
        for s in kneading
    )
    assert all(s["keeps_off"] or "never over" not in s["wording"] for s in steps)


def test_an_empty_body_plans_every_usable_modality(clinic: Clinic) -> None:
    patient_id = cleared(clinic)
    plan = clinic.as_api("therapist_a").post(f"/api/v1/patients/{patient_id}/plans")
    assert plan.status_code == 201
    assert len(plan.json()["plan"]["courses"]) == 3


def test_no_plan_without_a_physicians_approval(clinic: Clinic) -> None:
    patient_id = clinic.assessed().assessment.patient_id
    response = clinic.as_api("therapist_a").post(f"/api/v1/patients/{patient_id}/plans")
    assert response.status_code == 409
    assert_error_shape(response.json(), 409)


def test_a_patient_without_a_plan_has_none_to_read(clinic: Clinic) -> None:
    patient_id = cleared(clinic)
    response = clinic.as_api("therapist_a").get(f"/api/v1/patients/{patient_id}/plan")
    assert response.status_code == 404


def test_bad_plan_input_names_the_field(clinic: Clinic) -> None:
    patient_id = cleared(clinic)
    response = clinic.as_api("therapist_a").post(
        f"/api/v1/patients/{patient_id}/plans",
        json={"start_date": "soon", "modalities": ["reflexology"]},
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"start_date", "modalities[0]"}


def test_the_plan_prints_as_pdf_and_draws_its_body_chart(clinic: Clinic) -> None:
    plan = clinic.planned()
    api = clinic.as_api("therapist_a")
    pdf = api.get(f"/api/v1/plans/{plan.id}/plan.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"
    sheet = api.get(f"/api/v1/plans/{plan.id}/care-sheet.pdf")
    assert sheet.content.startswith(b"%PDF")
    chart = api.get(f"/api/v1/plans/{plan.id}/body-chart.svg")
    assert chart.headers["content-type"].startswith("image/svg+xml")
    assert chart.text.startswith("<svg") and "L4-L5" in chart.text


def test_a_stopped_session_raises_a_rescreen_flag(clinic: Clinic) -> None:
    plan = clinic.planned()
    clinic.session(plan, 1, neurological_symptoms=["numbness"])
    api = clinic.as_api("therapist_a")
    flags = api.get("/api/v1/rescreen-flags").json()
    assert [f["patient_id"] for f in flags] == [plan.patient_id]
    mine = api.get(f"/api/v1/rescreen-flags?patient_id={plan.patient_id}").json()
    assert mine == flags
    refused = api.post(f"/api/v1/patients/{plan.patient_id}/plans")
    assert refused.status_code == 409


def test_another_clinics_plans_are_not_found(clinic: Clinic) -> None:
    plan = clinic.planned("b", "B-1")
    api = clinic.as_api("therapist_a")
    for response in (
        api.post(f"/api/v1/patients/{plan.patient_id}/plans"),
        api.get(f"/api/v1/patients/{plan.patient_id}/plan"),
        api.get(f"/api/v1/plans/{plan.id}"),
        api.get(f"/api/v1/plans/{plan.id}/plan.pdf"),
        api.get(f"/api/v1/plans/{plan.id}/care-sheet.pdf"),
        api.get(f"/api/v1/plans/{plan.id}/body-chart.svg"),
        api.get(f"/api/v1/rescreen-flags?patient_id={plan.patient_id}"),
    ):
        assert response.status_code == 404, response.request.url
        assert_error_shape(response.json(), 404)


def test_an_admin_may_not_plan_or_print(clinic: Clinic) -> None:
    plan = clinic.planned()
    requests = (
        ("POST", f"/api/v1/patients/{plan.patient_id}/plans"),
        ("GET", f"/api/v1/plans/{plan.id}/plan.pdf"),
        ("GET", "/api/v1/rescreen-flags"),
    )
    admin, therapist = clinic.as_api("admin_a"), clinic.as_api("therapist_a")
    for method, url in requests:
        refused = admin.request(method, url)
        assert refused.status_code == 403, url
        assert_error_shape(refused.json(), 403)
        # the same request is served to a therapist: the refusal is the admin's role
        assert therapist.request(method, url).status_code in (200, 201, 409), url


def test_a_plan_is_issued_when_the_side_of_the_hernia_is_not_recorded(
    clinic: Clinic,
) -> None:
    data = assessment_data()
    del data["hernia"]["side"]
    patient_id = clinic.patient()
    api = clinic.as_api("therapist_a")
    api.post(f"/api/v1/patients/{patient_id}/assessments", json=data)
    clinic.approve(patient_id)
    assert api.post(f"/api/v1/patients/{patient_id}/plans").status_code == 201
