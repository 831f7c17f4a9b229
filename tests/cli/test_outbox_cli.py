"""``spinewise questionnaire email``, ``spinewise outbox`` and ``outbox deliver``
without a mail server: the message is logged, listed, never sent twice."""

from __future__ import annotations

import json

from tests import pg
from tests.cli.running import as_user
from tests.services.builders import assessed_patient

from spinewise import services
from spinewise.kb import KnowledgeBase
from spinewise.store import Store


def test_a_queued_link_is_logged_without_a_mail_server_and_listed(
    database_url: str, store: Store, world: pg.World, kb: KnowledgeBase
) -> None:
    patient_id = assessed_patient(store, world.therapist_a, kb).assessment.patient_id
    services.set_patient_contact(
        store, world.therapist_a, patient_id, email="ann@example.org", language="en"
    )
    queued = as_user(
        database_url, "therapist-a", "questionnaire", "email", str(patient_id), "nrs"
    )
    assert queued.exit_code == 0, queued.stderr
    assert "queued to ann@example.org (en)" in queued.stdout
    first = as_user(database_url, "therapist-a", "outbox", "deliver")
    assert "logged 1" in first.stdout
    second = as_user(database_url, "therapist-a", "outbox", "deliver")
    assert "logged 0" in second.stdout and "sent 0" in second.stdout
    listed = as_user(database_url, "therapist-a", "outbox", "--json")
    [message] = [m for m in json.loads(listed.stdout) if m["kind"] == "link"]
    [reminder] = [m for m in json.loads(listed.stdout) if m["kind"] == "reminder"]
    assert reminder["status"] == "pending", "due only after the reminder delay"
    assert message["status"] == "logged"
    assert message["last_error"] == "not sent: no mail server configured"
