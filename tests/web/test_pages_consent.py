"""The consent page: nothing assumed, given and withdrawn with who, when and the
text version; no plan without consent to treatment."""

from __future__ import annotations

from tests.web.clinic import Clinic, csrf_of
from tests.web.test_pages import assert_well_formed

from spinewise import services


def test_an_existing_patient_has_nothing_assumed_and_no_plan(clinic: Clinic) -> None:
    result = clinic.assessed()
    p = result.assessment.patient_id
    therapist = clinic.actor("therapist_a")
    for kind in services.ConsentKind:  # the clinic helper consents: undo it
        services.record_consent(clinic.store, therapist, p, kind, given=False)
    clinic.approve(p)
    page = clinic.as_page("therapist_a")
    plan_page = page.get(f"/patients/{p}/plan").text
    refused = page.post(
        f"/patients/{p}/plan",
        data={"start_date": "2026-12-04", "csrf_token": csrf_of(plan_page)},
    )
    assert refused.status_code == 409
    assert "consent to treatment was withdrawn" in refused.text
    assert f'href="/patients/{p}/consent"' in refused.text


def test_consent_is_recorded_with_who_when_and_the_text_version(clinic: Clinic) -> None:
    p = services.register_patient(
        clinic.store,
        clinic.actor("therapist_a"),
        {"record_number": "C-9", "name": "Cy"},
    ).id
    page = clinic.as_page("therapist_a")
    html = page.get(f"/patients/{p}/consent").text
    assert html.count("Not recorded yet.") == 3
    assert "does not cure a hernia on its own" in html
    assert_well_formed(html)
    page.post(
        f"/patients/{p}/consent",
        data={"kind": "treatment", "given": "yes", "csrf_token": csrf_of(html)},
    )
    after = page.get(f"/patients/{p}/consent").text
    assert "Given, recorded by Therapist A" in after
    assert f"text version {services.CONSENT_VERSION}" in after
    page.post(
        f"/patients/{p}/consent",
        data={
            "kind": "treatment",
            "given": "no",
            "note": "changed mind",
            "csrf_token": csrf_of(after),
        },
    )
    assert (
        "Withdrawn, recorded by Therapist A" in page.get(f"/patients/{p}/consent").text
    )
    other = clinic.as_page("therapist_b").get(f"/patients/{p}/consent")
    assert other.status_code == 404
