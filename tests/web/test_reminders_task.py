"""``spinewise serve`` runs the reminders job when SPINEWISE_REMINDERS_EVERY_MINUTES
is set (a background task of the app's lifespan), and not by default."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient
from tests.web.clinic import Clinic
from tests.web.test_pages_due import contactable

from spinewise import services
from spinewise.config import Settings
from spinewise.web import create_app


def messages(clinic: Clinic) -> list[services.OutboxMessage]:
    return services.list_outbox(clinic.store, clinic.actor("therapist_a"))


def test_the_server_runs_the_reminders_job_when_asked_to(clinic: Clinic) -> None:
    contactable(clinic)
    settings = clinic.app.state.settings
    every = Settings(database_url=settings.database_url, reminders_every_minutes=60)
    app = create_app(every, kb=clinic.kb, store=clinic.store)
    with TestClient(app):
        deadline = time.monotonic() + 30
        while not any(m.status == "logged" for m in messages(clinic)):
            assert time.monotonic() < deadline, "no reminders run within 30 s"
            time.sleep(0.2)
    links = [m for m in messages(clinic) if m.kind == "link"]
    assert len(links) >= 2 and {m.status for m in links} == {"logged"}


def test_by_default_the_server_sends_nothing_by_itself(clinic: Clinic) -> None:
    contactable(clinic)
    with TestClient(clinic.app):
        time.sleep(1.5)
    assert messages(clinic) == []
