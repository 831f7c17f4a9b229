"""Patient pages: the list with verdicts and next steps, registering, the patient page."""

from __future__ import annotations

from tests.web.clinic import Clinic, csrf_of
from tests.web.test_pages import assert_well_formed

from spinewise import services


def test_an_empty_list_says_what_to_do_first(clinic: Clinic) -> None:
    page = clinic.as_page("therapist_a").get("/patients")
    assert page.status_code == 200
    assert "No patients yet." in page.text
    assert 'href="/patients/new"' in page.text
    assert_well_formed(page.text)


def test_the_list_shows_each_verdict_in_words_and_what_awaits(clinic: Clinic) -> None:
    clinic.assessed(number="P-1")
    clinic.assessed(number="P-2", red_flags={"saddle_anaesthesia": True})
    html = clinic.as_page("therapist_a").get("/patients").text
    assert (
        "Awaiting clearance" in html and "Request the physician&#39;s clearance" in html
    )
    assert "Urgent referral" in html and "Refer the patient now" in html
    assert_well_formed(html)


def test_registering_a_patient_leads_to_the_intake(clinic: Clinic) -> None:
    page = clinic.as_page("therapist_a")
    token = csrf_of(page.get("/patients/new").text)
    response = page.post(
        "/patients",
        data={"record_number": "P-9", "name": "Bo Chen", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    intake = page.get(response.headers["location"])
    assert intake.status_code == 200
    assert "Intake: Bo Chen" in intake.text
    assert "Physician&#39;s clearance" not in intake.text.split("<form")[1]
    assert_well_formed(intake.text)


def test_a_bad_registration_keeps_the_answers_and_names_the_field(
    clinic: Clinic,
) -> None:
    page = clinic.as_page("therapist_a")
    token = csrf_of(page.get("/patients/new").text)
    response = page.post(
        "/patients",
        data={"record_number": "P 9", "name": "Bo Chen", "csrf_token": token},
    )
    assert response.status_code == 422
    assert 'value="P 9"' in response.text and 'value="Bo Chen"' in response.text
    assert 'href="#field-record_number"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert_well_formed(response.text)


def test_the_patient_page_has_a_next_step(clinic: Clinic) -> None:
    result = clinic.assessed()
    html = clinic.as_page("therapist_a").get(
        f"/patients/{result.assessment.patient_id}"
    )
    assert html.status_code == 200
    assert "Next step:" in html.text
    assert "Awaiting clearance" in html.text
    assert_well_formed(html.text)


def test_another_clinics_patient_page_is_not_found(clinic: Clinic) -> None:
    patient_id = clinic.patient("therapist_b", "B-1")
    page = clinic.as_page("therapist_a")
    assert page.get(f"/patients/{patient_id}").status_code == 404


def test_an_admin_is_refused_the_patients(clinic: Clinic) -> None:
    page = clinic.as_page("admin_a")
    assert page.get("/patients").status_code == 403
    assert 'href="/patients"' not in page.get("/audit").text


def test_the_patient_list_searches_as_you_type_in_any_case_and_script(
    clinic: Clinic,
) -> None:
    for number, name in [
        ("P-1", "Анна Смирнова"),
        ("P-2", "Ann Lee"),
        ("P-3", "Борис"),
    ]:
        services.register_patient(
            clinic.store, clinic.actor("therapist_a"),
            {"record_number": number, "name": name},
        )  # fmt: skip
    page = clinic.as_page("therapist_a")
    full = page.get("/patients", params={"q": "анна".upper()})
    assert full.status_code == 200
    assert "Анна Смирнова" in full.text and "Борис" not in full.text
    assert (
        "1 patient" in full.text and 'data-live-search="#patient-results"' in full.text
    )
    part = page.get("/patients", params={"q": "b"}, headers={"HX-Request": "true"})
    assert part.text.lstrip().startswith('<div id="patient-results"')
    assert "<html" not in part.text and "Борис" not in part.text
    none = page.get("/patients", params={"q": "100%_"})
    assert "No patient" in none.text


def test_a_ten_thousand_character_search_is_cut_and_said_so(clinic: Clinic) -> None:
    page = clinic.as_page("therapist_a")
    response = page.get("/patients", params={"q": "x" * 10_000, "sort": "nonsense"})
    assert response.status_code == 200
    assert "Only the first 200 characters are searched." in response.text


def test_a_patients_details_are_edited_and_the_earlier_ones_shown(
    clinic: Clinic,
) -> None:
    patient_id = clinic.patient()
    page = clinic.as_page("therapist_a")
    form = page.get(f"/patients/{patient_id}/edit")
    assert form.status_code == 200 and 'value="Ann Lee"' in form.text
    token = csrf_of(form.text)
    bad = page.post(
        f"/patients/{patient_id}/edit",
        data={
            "csrf_token": token,
            "record_number": "P 1",
            "name": "",
            "birth_date": "",
        },
    )
    assert bad.status_code == 422 and "Record number" in bad.text
    saved = page.post(
        f"/patients/{patient_id}/edit",
        data={"csrf_token": token, "record_number": "P-1", "name": "Ann Lee-Smith",
              "birth_date": "1970-01-02"},
        follow_redirects=False,
    )  # fmt: skip
    assert saved.status_code == 303
    again = page.get(f"/patients/{patient_id}/edit").text
    assert (
        'value="Ann Lee-Smith"' in again
        and "Ann Lee · P-1 · born not recorded" in again
    )


def test_everything_held_about_a_patient_downloads_as_one_audited_document(
    clinic: Clinic,
) -> None:
    plan = clinic.planned()
    clinic.session(plan)
    page = clinic.as_page("physician_a")
    response = page.get(f"/patients/{plan.patient_id}/export.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    document = response.json()
    assert document["schema"] == "spinewise.patient-export/1"
    assert document["patient"]["name"] == "Ann Lee"
    assert [
        len(document[k]) for k in ("assessments", "course_plans", "session_notes")
    ] == [1, 1, 1]
    assert document["clearances"][0]["status"] == "approved"
    trail = services.list_audit(
        clinic.store, clinic.actor("admin_a"),
        services.AuditFilter(patient_id=plan.patient_id, action="export"),
    )  # fmt: skip
    assert [(e.entity, e.action) for e in trail] == [("patient", "export")]
    assert (
        clinic.as_page("therapist_b")
        .get(f"/patients/{plan.patient_id}/export.json")
        .status_code
        == 404
    )
