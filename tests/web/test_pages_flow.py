"""The whole clinic flow through the pages, without a browser: intake, clearance, plan,
sessions, questionnaire link, outcome chart (the e2e test does it in Chromium)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from fastapi.testclient import TestClient
from tests.web.clinic import Clinic, csrf_of
from tests.web.test_pages import assert_well_formed, clean_form

from spinewise.web.intake import intake_questions


def post(client: TestClient, path: str, data: dict[str, Any], page: str = "") -> Any:
    token = csrf_of(client.get(page or path).text)
    return client.post(path, data={**data, "csrf_token": token}, follow_redirects=False)


def stored_form(**answers: str) -> dict[str, str]:
    """The clean answers as a browser sends them (selects default to "unknown")."""
    form = {
        k: v for k, v in clean_form(**answers).items() if not k.startswith("clearance.")
    }
    return {"hernia.side": "left", "patient.sex": "female", **form}


def register_and_screen(therapist: TestClient) -> str:
    registered = post(
        therapist,
        "/patients",
        {"record_number": "P-1", "name": "Ann Lee"},
        "/patients/new",
    )
    intake = registered.headers["location"]
    screened = post(therapist, intake, stored_form())
    assert screened.status_code == 303, screened.text
    decision = therapist.get(screened.headers["location"])
    assert "Awaiting clearance" in decision.text
    assert_well_formed(decision.text)
    return str(intake).removesuffix("/assessments/new")


def request_and_clear(therapist: TestClient, physician: TestClient, base: str) -> None:
    assert "Record your decision" not in therapist.get(f"{base}/clearance").text
    asked = post(
        therapist, f"{base}/clearance-requests", {"note": "please"}, f"{base}/clearance"
    )
    assert asked.status_code == 303
    queue = physician.get("/clearances")
    assert "Ann Lee" in queue.text and "Decide" in queue.text
    assert_well_formed(queue.text)
    page = physician.get(f"{base}/clearance")
    assert "Record your decision" in page.text
    assert_well_formed(page.text)
    choice = {
        "decision": "restrict",
        "excluded_modalities": "vacuum",
        "reason": "No cupping.",
    }
    decided = post(physician, f"{base}/clearance", choice, f"{base}/clearance")
    assert decided.status_code == 303, decided.text
    proceed = physician.get(decided.headers["location"]).text
    assert "Verdict: <strong>Proceed</strong>" in proceed
    assert "Excluded by the physician." in proceed


def plan_and_print(therapist: TestClient, base: str) -> None:
    for kind in ("treatment", "data_processing", "contact"):
        given = {"kind": kind, "given": "yes"}
        consented = post(therapist, f"{base}/consent", given, f"{base}/consent")
        assert consented.status_code == 303, consented.text
    plan_page = therapist.get(f"{base}/plan")
    assert "Plan the course" in plan_page.text
    assert 'value="vacuum"' not in plan_page.text.split('id="issue"')[1]
    assert_well_formed(plan_page.text)
    wanted = {"start_date": "2026-12-01", "modalities": "classical"}
    issued = post(therapist, f"{base}/plan", wanted, f"{base}/plan")
    assert issued.status_code == 303, issued.text
    html = therapist.get(f"{base}/plan").text
    assert_well_formed(html)
    chart = re.search(r'src="([^"]+/body-chart\.svg)"', html)
    assert chart
    assert therapist.get(chart.group(1)).headers["content-type"].startswith("image/svg")
    link = re.search(r'href="([^"]+/plan\.pdf)"', html)
    assert link
    pdf = therapist.get(link.group(1))
    assert pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf.headers["content-disposition"]


def record_two_sessions(therapist: TestClient, base: str) -> None:
    for number, (before, after) in enumerate(((5, 4), (4, 3)), start=1):
        form_page = therapist.get(f"{base}/sessions/new")
        assert f"session {number}" in form_page.text
        assert_well_formed(form_page.text)
        note = {
            "modality": "classical",
            "session_number": str(number),
            "performed_on": f"2026-12-0{2 * number - 1}",
            "steps_done": ["1", "2"],
            "pain_nrs_before": str(before),
            "pain_nrs_after": str(after),
            "red_flags.saddle_anaesthesia": "no",
        }
        signed = post(therapist, f"{base}/sessions/new", note)
        assert signed.status_code == 303, signed.text
        notes = therapist.get(signed.headers["location"])
        assert f"Session {number} recorded and signed" in notes.text
        assert "No stop rule applied." in notes.text
        assert_well_formed(notes.text)


def answer_through_a_link(clinic: Clinic, therapist: TestClient, base: str) -> None:
    entry = f"{base}/questionnaires/new?instrument=nrs"
    day = str(dt.date.today() - dt.timedelta(days=14))
    baseline = post(therapist, entry, {"answered_on": day, "answers[0]": "7"})
    assert baseline.status_code == 303, baseline.text
    link_page = post(
        therapist,
        f"{base}/questionnaire-links",
        {"instrument": "nrs"},
        f"{base}/outcomes",
    )
    assert link_page.status_code == 201
    url = re.search(r'href="(http://testserver/q/[^"]+)"', link_page.text)
    assert url
    patient = clinic.anonymous()
    form = patient.get(url.group(1))
    assert form.status_code == 200 and "Sign out" not in form.text
    assert_well_formed(form.text)
    answered = post(patient, url.group(1), {"answers[0]": "2"})
    assert answered.status_code == 200 and "Thank you" in answered.text
    assert patient.get(url.group(1)).status_code == 410


def test_a_patient_walks_from_intake_to_the_outcome_chart(clinic: Clinic) -> None:
    therapist = clinic.as_page("therapist_a")
    base = register_and_screen(therapist)
    request_and_clear(therapist, clinic.as_page("physician_a"), base)
    plan_and_print(therapist, base)
    record_two_sessions(therapist, base)
    answer_through_a_link(clinic, therapist, base)
    outcomes = therapist.get(f"{base}/outcomes")
    assert "Improved" in outcomes.text and "Clinically important." in outcomes.text
    assert_well_formed(outcomes.text)
    chart = therapist.get(f"{base}/outcomes/nrs.svg")
    assert chart.headers["content-type"].startswith("image/svg+xml")
    patient_page = therapist.get(base)
    assert "Record session 3" in patient_page.text
    assert_well_formed(patient_page.text)


def test_the_stored_form_names_questions_as_the_intake_does() -> None:
    assert all(p in intake_questions() for p in stored_form() if "." in p)
