"""A questionnaire e-mail in the patient's language (#18): subject, text and the
one-click stop link of a Russian-speaking patient, whatever the clinician's language."""

from __future__ import annotations

import re
from email.header import decode_header, make_header

from tests.pg import World
from tests.services.builders import assessed_patient
from tests.services.course.test_outbox import PUBLIC, SENDER, Inbox, inbox, queue

from spinewise import services
from spinewise.kb import KnowledgeBase
from spinewise.services import MailSettings
from spinewise.store import Store

__all__ = ["inbox"]  # the fixture, shared with the English tests


def test_a_russian_speaking_patient_gets_the_link_in_russian(
    store: Store, world: World, kb: KnowledgeBase, inbox: tuple[Inbox, MailSettings]
) -> None:
    handler, mail = inbox
    patient_id = assessed_patient(store, world.therapist_a, kb).assessment.patient_id
    services.set_patient_contact(
        store, world.therapist_a, patient_id, email="anna@example.org", language="ru"
    )
    queue(store, world, patient_id)
    services.deliver_outbox(store, services.smtp_mailer(mail), sender=SENDER)
    [message] = handler.messages
    subject = str(make_header(decode_header(message["Subject"])))
    assert subject.startswith("Ваш опросник: Числовая рейтинговая шкала боли")
    assert message["Content-Language"] == "ru"
    body = message.get_payload(decode=True).decode()
    assert body.startswith("Здравствуйте!") and f"{PUBLIC}/q/" in body
    assert "Чтобы больше не получать такие сообщения:" in body
    until = re.search(r"до (\d{1,2} [а-я]+\. \d{4}\s?г\.)\)", body)  # noqa: RUF001
    assert until is not None, body  # the day the link expires, as Russian writes it
    assert message["List-Unsubscribe"].strip().startswith(f"<{PUBLIC}/unsubscribe/")
