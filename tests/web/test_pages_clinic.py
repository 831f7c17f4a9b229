"""The clinic pages one by one: decision, clearance form, plan, sessions,
questionnaire links and the audit trail, with their failure modes."""

from __future__ import annotations

import re

from tests.web.clinic import Clinic, csrf_of, session_data
from tests.web.test_pages import assert_well_formed

from spinewise import services


def post(client, path: str, data: dict[str, object], page: str) -> object:  # type: ignore[no-untyped-def]
    token = csrf_of(client.get(page).text)
    return client.post(path, data={**data, "csrf_token": token}, follow_redirects=False)


def test_missing_answers_link_back_to_their_question_on_the_correction_form(
    clinic: Clinic,
) -> None:
    result = clinic.assessed(red_flags={"bowel_dysfunction": None})
    base = f"/patients/{result.assessment.patient_id}"
    page = clinic.as_page("therapist_a")
    html = page.get(f"{base}/decisions/{result.decision.id}").text
    assert "Verdict: <strong>Incomplete</strong>" in html
    amend = f"{base}/assessments/{result.assessment.id}/amend"
    assert f'href="{amend}#field-red_flags-bowel_dysfunction"' in html
    form = page.get(amend).text
    assert 'id="field-red_flags-bowel_dysfunction"' in form
    assert_well_formed(form)


def test_a_correction_is_a_new_version_screened_at_once(clinic: Clinic) -> None:
    result = clinic.assessed(red_flags={"bowel_dysfunction": None})
    base = f"/patients/{result.assessment.patient_id}"
    amend = f"{base}/assessments/{result.assessment.id}/amend"
    page = clinic.as_page("therapist_a")
    form = page.get(amend).text
    values = dict(
        re.findall(
            r'name="([a-z_.]+)" type="(?:date|number|text)"[^>]*value="([^"]*)"', form
        )
    )
    checked = re.findall(r'name="([a-z_.]+)" value="([^"]*)" checked', form)
    data: dict[str, object] = {**values}
    for name, value in checked:
        data.setdefault(name, [])
        data[name] = [*data[name], value] if isinstance(data[name], list) else [value]  # type: ignore[misc]
    data["red_flags.bowel_dysfunction"] = "no"
    data["hernia.region"] = "lumbar"
    response = post(page, amend, data, amend)
    assert response.status_code == 303, response.text
    assert "Incomplete" not in page.get(response.headers["location"]).text


def test_a_failed_intake_keeps_the_answers(clinic: Clinic) -> None:
    patient_id = clinic.patient()
    path = f"/patients/{patient_id}/assessments/new"
    page = clinic.as_page("therapist_a")
    response = post(page, path, {"patient.age": "130", "red_flags.fever": "yes"}, path)
    assert response.status_code == 422
    assert 'value="130"' in response.text
    assert 'name="red_flags.fever" value="yes" checked' in response.text
    assert_well_formed(response.text)


def test_a_restriction_needs_modalities_and_a_decline_a_reason(clinic: Clinic) -> None:
    patient_id = clinic.assessed().assessment.patient_id
    path = f"/patients/{patient_id}/clearance"
    page = clinic.as_page("physician_a")
    restricted = post(page, path, {"decision": "restrict"}, path)
    assert restricted.status_code == 422
    assert 'href="#field-excluded_modalities"' in restricted.text
    declined = post(page, path, {"decision": "decline"}, path)
    assert declined.status_code == 422
    assert 'href="#field-reason"' in declined.text
    assert_well_formed(declined.text)
    nothing = post(page, path, {}, path)
    assert 'href="#field-decision"' in nothing.text


def test_a_therapist_sees_no_clearance_form_and_is_refused_one(clinic: Clinic) -> None:
    patient_id = clinic.assessed().assessment.patient_id
    path = f"/patients/{patient_id}/clearance"
    page = clinic.as_page("therapist_a")
    assert "Record your decision" not in page.get(path).text
    response = post(page, path, {"decision": "approve"}, path)
    assert response.status_code == 403


def test_a_plan_refused_says_why_on_the_page(clinic: Clinic) -> None:
    patient_id = clinic.assessed().assessment.patient_id
    path = f"/patients/{patient_id}/plan"
    page = clinic.as_page("therapist_a")
    html = page.get(path).text
    assert "No course plan yet." in html
    response = post(page, path, {"start_date": "2026-12-01"}, path)
    assert response.status_code == 409
    assert "No plan can be issued now." in response.text


def test_a_stop_rule_suspends_the_plan_and_asks_for_rescreening(clinic: Clinic) -> None:
    plan = clinic.planned()
    base = f"/patients/{plan.patient_id}"
    page = clinic.as_page("therapist_a")
    data = session_data(plan)
    form = {
        "modality": data["modality"],
        "session_number": "1",
        "performed_on": data["performed_on"],
        "steps_done": [str(s) for s in data["steps_done"]],
        "pain_nrs_before": "3",
        "pain_nrs_after": "3",
        "red_flags.saddle_anaesthesia": "yes",
    }
    response = post(page, f"{base}/sessions/new", form, f"{base}/sessions/new")
    assert response.status_code == 303, response.text
    notes = page.get(response.headers["location"]).text
    assert "Stop" in notes and "re-screen" in notes.lower()
    patient = page.get(base).text
    assert "Re-screen the patient" in patient
    assert "Record a session" not in page.get(f"{base}/sessions").text
    closed = page.get(f"{base}/sessions/new").text
    assert "The course plan is suspended." in closed


def test_a_session_form_error_keeps_the_answers(clinic: Clinic) -> None:
    plan = clinic.planned()
    base = f"/patients/{plan.patient_id}"
    page = clinic.as_page("therapist_a")
    form = {
        "modality": "classical",
        "session_number": "1",
        "pain_nrs_before": "12",
        "performed_on": "2026-12-01",
        "soap.subjective": "stiff",
    }
    response = post(page, f"{base}/sessions/new", form, f"{base}/sessions/new")
    assert response.status_code == 422
    assert 'href="#field-pain_nrs_before"' in response.text
    assert 'href="#field-pain_nrs_after"' in response.text
    assert ">stiff</textarea>" in response.text
    assert_well_formed(response.text)


def test_a_physician_is_not_offered_the_session_form(clinic: Clinic) -> None:
    plan = clinic.planned()
    page = clinic.as_page("physician_a")
    html = page.get(f"/patients/{plan.patient_id}").text
    assert "Record session" not in html and "Course under way" in html


def link_token(clinic: Clinic, patient_id: int, instrument: str = "nrs") -> str:
    link = services.create_questionnaire_link(
        clinic.store,
        clinic.actor("therapist_a"),
        patient_id,
        instrument,
        secret=clinic.app.state.secret,
        valid_days=14,
    )
    return link.token


def test_a_tampered_link_is_not_found_and_a_used_one_is_closed(clinic: Clinic) -> None:
    token = link_token(clinic, clinic.patient())
    patient = clinic.anonymous()
    assert patient.get(f"/q/{token[:-2]}xx").status_code == 404
    form = patient.get(f"/q/{token}").text
    answered = patient.post(
        f"/q/{token}", data={"answers[0]": "4", "csrf_token": csrf_of(form)}
    )
    assert answered.status_code == 200 and "Thank you" in answered.text
    again = patient.get(f"/q/{token}")
    assert again.status_code == 410 and "already used" in again.text
    assert_well_formed(again.text)


def test_an_unanswered_questionnaire_is_not_sent(clinic: Clinic) -> None:
    clinic.fake_texts()
    token = link_token(clinic, clinic.patient(), "odi")
    patient = clinic.anonymous()
    form = patient.get(f"/q/{token}").text
    assert len(re.findall(r"<fieldset class=\"field item", form)) == 10
    response = patient.post(
        f"/q/{token}", data={"answers[0]": "2", "csrf_token": csrf_of(form)}
    )
    assert response.status_code == 422
    assert "answer at least 8 of the 10 questions" in response.text
    assert 'name="answers[0]" value="2" checked' in response.text
    assert patient.get(f"/q/{token}").status_code == 200, "the link is not used up"


def test_the_patient_form_needs_the_csrf_token(clinic: Clinic) -> None:
    token = link_token(clinic, clinic.patient())
    patient = clinic.anonymous()
    patient.get(f"/q/{token}")
    assert patient.post(f"/q/{token}", data={"answers[0]": "4"}).status_code == 403


def test_the_audit_page_filters_and_names_a_bad_filter(clinic: Clinic) -> None:
    patient_id = clinic.patient()
    page = clinic.as_page("admin_a")
    query = f"patient_id={patient_id}&action=create&entity=patient"
    html = page.get(f"/audit?{query}").text
    assert "1 event<" in html
    assert_well_formed(html)
    bad = page.get("/audit?since=soon")
    assert bad.status_code == 422 and 'href="#field-since"' in bad.text


def test_a_physician_is_not_given_the_session_form_and_is_refused(
    clinic: Clinic,
) -> None:
    plan = clinic.planned()
    base = f"/patients/{plan.patient_id}"
    page = clinic.as_page("physician_a")
    html = page.get(f"{base}/sessions/new").text
    assert "Sessions are signed by the therapist." in html
    assert "Sign and save the note" not in html
    data = {
        "modality": "classical",
        "session_number": "1",
        "performed_on": "2026-12-01",
        "pain_nrs_before": "3",
        "pain_nrs_after": "2",
    }
    response = post(page, f"{base}/sessions/new", data, f"{base}/sessions")
    assert response.status_code == 403
