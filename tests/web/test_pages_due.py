"""The day view's questionnaires due (one click e-mails the link), re-sending a
message from the outbox, the one-click stop a mail client POSTs with no session or
CSRF token (RFC 8058), and the STarT Back advisory on the patient page."""

from __future__ import annotations

import datetime as dt

from tests.web.clinic import START, Clinic, csrf_of
from tests.web.test_pages import assert_well_formed
from tests.web.test_pages_wording import visible_text

from spinewise import services
from spinewise.i18n import format_date


def contactable(clinic: Clinic) -> services.PlanRecord:
    plan = clinic.planned()
    clinic.fake_texts()
    services.set_patient_contact(
        clinic.store,
        clinic.actor("therapist_a"),
        plan.patient_id,
        email="ann@example.org",
        language="en",
    )
    return plan


def test_the_day_lists_questionnaires_due_and_one_click_sends_the_link(
    clinic: Clinic,
) -> None:
    contactable(clinic)
    page = clinic.as_page("therapist_a")
    today = page.get("/today").text
    assert_well_formed(today)
    shown = visible_text(today)
    assert (
        "Questionnaires due (" in shown
        and f"overdue since {format_date(START, 'en', 'medium')}" in shown
    )
    assert "FAKE" not in shown, "the panel names the instrument, not the pack"
    [item, *_] = services.list_due(clinic.store, clinic.actor("therapist_a"), START)
    sent = page.post(f"/due/{item.id}/send", data={"csrf_token": csrf_of(today)})
    assert sent.status_code == 200 and "The link is queued" in sent.text
    assert "link sent, not answered" in visible_text(sent.text)
    messages = services.list_outbox(clinic.store, clinic.actor("therapist_a"))
    assert {m.kind for m in messages} == {"link", "reminder"}
    other = clinic.as_page("therapist_b")
    refused = other.post(
        f"/due/{item.id}/send", data={"csrf_token": csrf_of(other.get("/today").text)}
    )
    assert refused.status_code == 404


def test_a_message_is_sent_again_from_the_outbox(clinic: Clinic) -> None:
    plan = contactable(clinic)
    page = clinic.as_page("therapist_a")
    outcomes = page.get(f"/patients/{plan.patient_id}/outcomes").text
    page.post(
        f"/patients/{plan.patient_id}/questionnaire-emails",
        data={"instrument": "nrs", "csrf_token": csrf_of(outcomes)},
    )
    outbox = page.get("/outbox").text
    [first] = [m for m in services.list_outbox(
        clinic.store, clinic.actor("therapist_a")
    ) if m.kind == "link"]  # fmt: skip
    assert f"Send message {first.id} again" in outbox
    again = page.post(
        f"/outbox/{first.id}/resend", data={"csrf_token": csrf_of(outbox)}
    )
    assert again.status_code == 200
    links = [
        m
        for m in services.list_outbox(clinic.store, clinic.actor("therapist_a"))
        if m.kind == "link"
    ]
    assert len(links) == 2 and {m.status for m in links} == {"logged"}


def test_a_mail_client_s_one_click_post_stops_messages_without_a_session(
    clinic: Clinic,
) -> None:
    p = clinic.patient()
    token = services.unsubscribe_token(
        clinic.app.state.secret, clinic.actor("therapist_a").clinic_id, p
    )
    client = clinic.anonymous()
    done = client.post(
        f"/unsubscribe/{token}",
        content=b"List-Unsubscribe=One-Click",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert done.status_code == 200
    states = services.patient_consents(clinic.store, clinic.actor("therapist_a"), p)
    assert [s.given for s in states if s.kind == "contact"] == [False]
    trail = services.list_audit(
        clinic.store,
        clinic.actor("admin_a"),
        services.AuditFilter(patient_id=p, entity="consent"),
    )
    assert any(e.role == "patient" for e in trail)
    assert client.post("/unsubscribe/forged").status_code == 404


def test_a_high_start_back_group_shows_an_advisory_on_the_patient_page(
    clinic: Clinic,
) -> None:
    plan = clinic.planned()
    services.record_response(
        clinic.store,
        clinic.actor("therapist_a"),
        plan.patient_id,
        {
            "instrument": "startback",
            "answered_on": dt.date.today().isoformat(),
            "answers": [1] * 9,
        },
    )
    page = visible_text(
        clinic.as_page("therapist_a").get(f"/patients/{plan.patient_id}").text
    )
    assert "STarT Back high risk group" in page
    assert "refer for psychologically informed care" in page


def test_the_due_panel_speaks_the_reader_s_language(clinic: Clinic) -> None:
    contactable(clinic)
    page = clinic.as_page("therapist_a")
    page.headers["Accept-Language"] = "ru"
    shown = visible_text(page.get("/today").text)
    assert "Опросники к заполнению (" in shown
    assert "ссылка ещё не отправлена" in shown


def test_an_open_link_is_listed_and_cancelled_on_the_outcomes_page(
    clinic: Clinic,
) -> None:
    plan = clinic.planned()
    link = services.create_questionnaire_link(
        clinic.store,
        clinic.actor("therapist_a"),
        plan.patient_id,
        "nrs",
        secret=clinic.app.state.secret,
        valid_days=7,
    )
    page = clinic.as_page("therapist_a")
    outcomes = page.get(f"/patients/{plan.patient_id}/outcomes").text
    assert_well_formed(outcomes)
    assert f"Cancel link {link.id}" in outcomes
    base = f"/patients/{plan.patient_id}/questionnaire-links/{link.id}/cancel"
    other = clinic.as_page("therapist_b")
    foreign = other.post(base, data={"csrf_token": csrf_of(other.get("/today").text)})
    assert foreign.status_code == 404
    done = page.post(base, data={"csrf_token": csrf_of(outcomes)})
    assert done.status_code == 200 and f"Cancel link {link.id}" not in done.text
    closed = clinic.anonymous().get(f"/q/{link.token}")
    assert "cancelled" in closed.text
