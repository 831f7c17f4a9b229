"""The outcomes page when results change the course: the review before the next
session, the STarT Back advisory, and session pain charted with the questionnaires."""

from __future__ import annotations

from tests.web.clinic import Clinic, csrf_of
from tests.web.test_pages import assert_well_formed

from spinewise import services

HIGH_RISK = [1, 1, 1, 1, 1, 1, 1, 1, 4]


def respond(
    clinic: Clinic, patient_id: int, instrument: str, day: str, answers: list[int]
) -> None:
    services.record_response(
        clinic.store,
        clinic.actor("therapist_a"),
        patient_id,
        {"instrument": instrument, "answered_on": day, "answers": answers},
    )


def test_a_worsening_shows_the_review_and_recording_why_releases_it(
    clinic: Clinic,
) -> None:
    plan = clinic.planned()
    p = plan.patient_id
    respond(clinic, p, "odi", "2026-11-30", [2] * 10)
    respond(clinic, p, "odi", "2026-12-03", [3] * 10)
    page = clinic.as_page("therapist_a")
    html = page.get(f"/patients/{p}/outcomes").text
    assert "Review before the next session" in html and "ODI worsened" in html
    assert_well_formed(html)
    [review] = services.course_reviews(clinic.store, clinic.actor("therapist_a"), p)
    refused = page.post(
        f"/patients/{p}/reviews/{review.id}",
        data={"resolution": "continue", "note": "", "csrf_token": csrf_of(html)},
    )
    assert refused.status_code == 422
    done = page.post(
        f"/patients/{p}/reviews/{review.id}",
        data={"resolution": "continue", "note": "Flare", "csrf_token": csrf_of(html)},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert (
        "Review before the next session" not in page.get(f"/patients/{p}/outcomes").text
    )


def test_startback_high_risk_is_an_advisory_on_the_outcomes_page(
    clinic: Clinic,
) -> None:
    p = clinic.patient()
    respond(clinic, p, "startback", "2026-11-20", HIGH_RISK)
    html = clinic.as_page("therapist_a").get(f"/patients/{p}/outcomes").text
    assert "STarT Back high risk group on 20 Nov 2026" in html
    assert "psychologically informed care" in html and "Advisory only" in html


def test_session_pain_is_charted_beside_the_questionnaires(clinic: Clinic) -> None:
    plan = clinic.planned()
    clinic.session(plan, 1, pain_nrs_before=5, pain_nrs_after=4)
    clinic.session(plan, 2, pain_nrs_before=4, pain_nrs_after=3)
    page = clinic.as_page("therapist_a")
    html = page.get(f"/patients/{plan.patient_id}/outcomes").text
    assert "Pain at each session" in html
    chart = page.get(f"/patients/{plan.patient_id}/outcomes/session-pain.svg")
    assert chart.status_code == 200 and chart.text.startswith("<svg")
    assert_well_formed(html)
