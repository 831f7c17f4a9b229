"""The outbox through a real SMTP server (aiosmtpd) on both databases: what arrives
(subject, link, language), no mail server = logged, retries with backoff, nothing
sent twice by concurrent runs, cancel, one-click stop."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator

import pytest
from tests.mailbox import SENDER, Inbox, smtp_server
from tests.pg import World
from tests.services.builders import assessed_patient

from spinewise import services
from spinewise.errors import ConflictError
from spinewise.kb import KnowledgeBase
from spinewise.services import MailSettings
from spinewise.store import Store, utc_now

SECRET = "a test secret that is long enough to sign links"
PUBLIC = "https://clinic.example"


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, MailSettings]]:
    with smtp_server() as server:
        yield server


def contactable(store: Store, world: World, kb: KnowledgeBase) -> int:
    patient_id = assessed_patient(store, world.therapist_a, kb).assessment.patient_id
    services.set_patient_contact(
        store, world.therapist_a, patient_id, email="ann@example.org", language="en"
    )
    return patient_id


def queue(store: Store, world: World, patient_id: int) -> services.OutboxMessage:
    return services.email_link(
        store,
        world.therapist_a,
        patient_id,
        "nrs",
        secret=SECRET,
        valid_days=7,
        public_url=PUBLIC,
    )


def test_a_link_arrives_with_its_subject_address_language_and_stop_link(
    store: Store, world: World, kb: KnowledgeBase, inbox: tuple[Inbox, MailSettings]
) -> None:
    handler, mail = inbox
    patient_id = contactable(store, world, kb)
    queued = queue(store, world, patient_id)
    assert queued.status == "pending"
    counts = services.deliver_outbox(store, services.smtp_mailer(mail), sender=SENDER)
    assert counts["sent"] == 1
    [message] = handler.messages
    assert message["To"] == "ann@example.org"
    assert message["Subject"] == "Your questionnaire: Pain numeric rating scale (0-10)"
    assert message["Content-Language"] == "en"
    body = message.get_payload(decode=True).decode()
    assert f"{PUBLIC}/q/" in body and f"{PUBLIC}/unsubscribe/" in body
    assert message["List-Unsubscribe"].strip().startswith(f"<{PUBLIC}/unsubscribe/")
    [listed] = services.list_outbox(store, world.therapist_a)
    assert listed.status == "sent" and listed.attempts == 1


def test_without_a_mail_server_a_message_goes_to_the_log(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    queue(store, world, contactable(store, world, kb))
    assert services.deliver_outbox(store, None, sender=SENDER)["logged"] == 1
    [listed] = services.list_outbox(store, world.therapist_a)
    assert listed.status == "logged" and listed.last_error == services.NOT_CONFIGURED


def test_a_failing_server_is_retried_with_backoff(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    queue(store, world, contactable(store, world, kb))
    refused = MailSettings(
        host="127.0.0.1",
        port=9,
        starttls=False,
        user=None,
        password=None,
        sender=SENDER,
    )
    now = utc_now()
    counts = services.deliver_outbox(
        store, services.smtp_mailer(refused), sender=SENDER, now=now
    )
    assert counts["retry"] == 1
    [listed] = services.list_outbox(store, world.therapist_a)
    assert listed.status == "pending" and listed.attempts == 1 and listed.last_error
    assert listed.next_attempt_at is not None and listed.next_attempt_at > now
    again = services.deliver_outbox(
        store, services.smtp_mailer(refused), sender=SENDER, now=now
    )
    assert sum(again.values()) == 0, "not due again before its backoff"


def test_two_concurrent_runs_send_each_message_once(
    store: Store, world: World, kb: KnowledgeBase, inbox: tuple[Inbox, MailSettings]
) -> None:
    handler, mail = inbox
    patient_id = contactable(store, world, kb)
    for _ in range(3):
        queue(store, world, patient_id)
    mailer = services.smtp_mailer(mail)
    runs = [
        threading.Thread(
            target=services.deliver_outbox,
            args=(store, mailer),
            kwargs={"sender": SENDER},
        )
        for _ in range(2)
    ]
    for run in runs:
        run.start()
    for run in runs:
        run.join()
    assert len(handler.messages) == 3
    assert {m["Subject"] for m in handler.messages} == {
        "Your questionnaire: Pain numeric rating scale (0-10)"
    }


def test_no_message_without_consent_or_address_and_cancel_closes_the_link(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    patient_id = contactable(store, world, kb)
    services.record_consent(
        store, world.therapist_a, patient_id, "contact", given=False
    )
    with pytest.raises(ConflictError, match="consented to be contacted"):
        queue(store, world, patient_id)
    services.record_consent(store, world.therapist_a, patient_id, "contact", given=True)
    message = queue(store, world, patient_id)
    cancelled = services.cancel_message(store, world.therapist_a, message.id)
    assert cancelled.status == "cancelled"
    assert services.deliver_outbox(store, None, sender=SENDER)["logged"] == 0


def test_the_stop_link_withdraws_the_consent_to_be_contacted(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    patient_id = contactable(store, world, kb)
    token = services.unsubscribe_token(SECRET, world.clinic_a, patient_id)
    assert services.unsubscribe(store, token, SECRET) is True
    with pytest.raises(ConflictError, match="consented to be contacted"):
        queue(store, world, patient_id)
    assert services.unsubscribe(store, token, SECRET) is False
    _ = dt
