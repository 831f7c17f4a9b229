"""Messages on the web: e-mailing a link without a mail server says it was not
sent; the outbox lists and cancels; the patient's stop page withdraws contact."""

from __future__ import annotations

from tests.web.clinic import Clinic, csrf_of
from tests.web.test_pages import assert_well_formed

from spinewise import services


def test_an_emailed_link_without_a_mail_server_is_not_sent_and_says_so(
    clinic: Clinic,
) -> None:
    p = clinic.patient()
    page = clinic.as_page("therapist_a")
    consent = page.get(f"/patients/{p}/consent").text
    saved = page.post(
        f"/patients/{p}/contact",
        data={
            "email": "ann@example.org",
            "language": "en",
            "csrf_token": csrf_of(consent),
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    outcomes = page.get(f"/patients/{p}/outcomes").text
    sent = page.post(
        f"/patients/{p}/questionnaire-emails",
        data={"instrument": "nrs", "csrf_token": csrf_of(outcomes)},
    )
    assert sent.status_code == 200
    assert "not sent: no mail server configured" in sent.text
    assert_well_formed(sent.text)
    other = clinic.as_page("therapist_b").get("/outbox").text
    assert "Your questionnaire" not in other


def test_the_stop_page_withdraws_the_consent_to_be_contacted(clinic: Clinic) -> None:
    p = clinic.patient()
    secret = clinic.app.state.secret
    token = services.unsubscribe_token(secret, clinic.actor("therapist_a").clinic_id, p)
    patient = clinic.anonymous()
    form = patient.get(f"/unsubscribe/{token}").text
    assert "Stop messages" in form
    done = patient.post(f"/unsubscribe/{token}", data={"csrf_token": csrf_of(form)})
    assert "you will receive no more messages" in done.text
    states = services.patient_consents(clinic.store, clinic.actor("therapist_a"), p)
    assert [s.given for s in states if s.kind == "contact"] == [False]
    bad = patient.post("/unsubscribe/made-up.token", data={"csrf_token": csrf_of(form)})
    assert bad.status_code == 404
