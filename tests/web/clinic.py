"""The web app on the real store (SQLite, a fresh database per test).

Two clinics (A and B), each with a therapist, a physician and an admin (the
``tests.pg`` world, password ``PASSWORD``). ``as_api("therapist_a")`` is a JSON
client with that user's API token; ``as_page("physician_a")`` a browser-like client
signed in through the login form.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from starlette.exceptions import StarletteDeprecationWarning
from tests.factories import assessment_data
from tests.pg import PASSWORD, Templates, World, copy_sqlite
from tests.text_packs import import_fake_texts

from spinewise import services
from spinewise.config import Settings
from spinewise.kb import KnowledgeBase
from spinewise.services import Actor
from spinewise.store import Store, open_store
from spinewise.web import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

START = dt.date(2026, 12, 1)
APPROVAL = {"status": "approved", "valid_until": "2026-12-31", "reason": "fine"}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
CLIENT_OPTIONS: dict[str, Any] = {"raise_server_exceptions": False}


class Clinic:
    """The app, its store and the world; clients for any of the six users."""

    def __init__(
        self, app: FastAPI, store: Store, world: World, kb: KnowledgeBase
    ) -> None:
        self.app = app
        self.store = store
        self.world = world
        self.kb = kb
        self._tokens: dict[str, str] = {}
        self._clients: list[TestClient] = []

    def actor(self, name: str) -> Actor:
        return self.world.actors[name]

    def token(self, name: str) -> str:
        if name not in self._tokens:
            issued = services.issue_api_token(self.store, self.actor(name))
            self._tokens[name] = issued.token
        return self._tokens[name]

    def _client(self, headers: dict[str, str] | None = None) -> TestClient:
        client = TestClient(self.app, headers=headers, **CLIENT_OPTIONS)
        client.__enter__()
        self._clients.append(client)
        return client

    def as_api(self, name: str) -> TestClient:
        return self._client({"Authorization": f"Bearer {self.token(name)}"})

    def anonymous(self) -> TestClient:
        return self._client()

    def as_page(self, name: str) -> TestClient:
        client = self._client()
        username = self.actor(name).username
        response = client.post(
            "/login",
            data={
                "username": username,
                "password": PASSWORD,
                "csrf_token": csrf_of(client.get("/login").text),
            },
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        return client

    def close(self) -> None:
        for client in self._clients:
            client.__exit__(None, None, None)

    # --- records made through the services, as the named user -------------------
    def fake_texts(self, admin: str = "admin_a") -> None:
        """The clinic gets the fake texts of the licensed instruments."""
        import_fake_texts(self.store, self.actor(admin))

    def patient(self, name: str = "therapist_a", number: str = "P-1") -> int:
        record = services.register_patient(
            self.store, self.actor(name), {"record_number": number, "name": "Ann Lee"}
        )
        for kind in services.ConsentKind:
            services.record_consent(
                self.store, self.actor(name), record.id, kind, given=True
            )
        return record.id

    def assessed(
        self, name: str = "therapist_a", number: str = "P-1", **sections: Any
    ) -> services.ScreeningResult:
        patient_id = self.patient(name, number)
        return services.submit_assessment(
            self.store,
            self.actor(name),
            patient_id,
            assessment_data(**sections),
            self.kb,
        )

    def approve(
        self, patient_id: int, name: str = "physician_a", **decision: Any
    ) -> services.ClearanceOutcome:
        return services.record_clearance(
            self.store, self.actor(name), patient_id, {**APPROVAL, **decision}, self.kb
        )

    def planned(
        self, suffix: str = "a", number: str = "P-1", **sections: Any
    ) -> services.PlanRecord:
        """A patient of clinic ``suffix`` screened, approved, with an active plan."""
        result = self.assessed(f"therapist_{suffix}", number, **sections)
        patient_id = result.assessment.patient_id
        self.approve(patient_id, f"physician_{suffix}")
        return services.issue_plan(
            self.store,
            self.actor(f"therapist_{suffix}"),
            patient_id,
            self.kb,
            start_date=START,
        )

    def session(
        self,
        plan: services.PlanRecord,
        number: int = 1,
        suffix: str = "a",
        **overrides: Any,
    ) -> services.SessionOutcome:
        """A signed note of session ``number`` of the plan's first course."""
        return services.record_session(
            self.store,
            self.actor(f"therapist_{suffix}"),
            plan.patient_id,
            session_data(plan, number, **overrides),
            self.kb,
        )


def session_data(
    plan: services.PlanRecord, number: int = 1, **overrides: Any
) -> dict[str, Any]:
    """A quiet session record of the plan's first course (every planned step done)."""
    course = plan.plan.courses[0]
    session = course.sessions[number - 1]
    data: dict[str, Any] = {
        "session_number": number,
        "performed_on": session.date.isoformat(),
        "modality": course.modality.value,
        "steps_done": [step.order for step in session.steps],
        "pain_nrs_before": 4,
        "pain_nrs_after": 3,
    }
    data.update(overrides)
    return data


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, "the page has no CSRF field"
    return match.group(1)


@pytest.fixture
def clinic(tmp_path: Path, templates: Templates, kb: KnowledgeBase) -> Iterator[Clinic]:
    """The app over a fresh copy of the two-clinic world."""
    path = tmp_path / "clinic.sqlite3"
    copy_sqlite(templates.sqlite(), path)
    assert templates.world is not None
    url = f"sqlite:///{path}"
    store = open_store(url)
    settings = Settings(database_url=url)
    app = create_app(settings, kb=kb, store=store)
    found = Clinic(app, store, templates.world, kb)
    yield found
    found.close()
    store.dispose()
