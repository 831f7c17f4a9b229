"""Fixtures of the CDS Hooks web tests.

The EHR is real: ``tests.interop.fhir_server`` serves its JWK set and FHIR resources
over HTTP on 127.0.0.1, and the app fetches them there. The database is the services'
test database (``tests.pg``: SQLite, and PostgreSQL when available) holding two clinics;
the CDS service writes to "Alpha Spine Clinic".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from tests import pg
from tests.factories import make_assessment
from tests.interop.cds_keys import jwks_of
from tests.interop.fhir_server import (
    EhrServer,
    patient_json,
    response_json,
    running_ehr,
)
from tests.web.cds.support import KEY, PID, TestClient, cds_settings, today

from spinewise import services
from spinewise.kb import KnowledgeBase
from spinewise.store import Store
from spinewise.web import create_app

# the database fixtures of tests/pg.py, on SQLite and PostgreSQL
backend, database_url, pg_cluster, store, templates, world = (
    pg.backend,
    pg.database_url,
    pg.pg_cluster,
    pg.store,
    pg.templates,
    pg.world,
)


@pytest.fixture
def ehr() -> Iterator[EhrServer]:
    """The EHR on 127.0.0.1, its keys published, patient 1288992 with one response."""
    with running_ehr() as server:
        server.data.jwks = jwks_of(KEY)
        server.data.patients[PID] = patient_json(PID)
        server.data.responses[PID] = [
            response_json(
                PID,
                make_assessment(assessed_on=today(), symptoms={"radicular_pain": True}),
            )
        ]
        yield server


@pytest.fixture
def cds_app(
    ehr: EhrServer, database_url: str, store: Store, kb: KnowledgeBase
) -> FastAPI:
    """The web app with the CDS service on the test database, trusting the EHR."""
    return create_app(cds_settings(ehr, database_url), kb=kb, store=store)


@pytest.fixture
def on_record(store: Store, world: pg.World, kb: KnowledgeBase) -> int:
    """Patient 1288992 registered in clinic A (the EHR's Patient carries that record
    number) with a physician's approval valid for 30 days; its Spinewise id."""
    patient = services.register_patient(
        store, world.therapist_a, {"record_number": PID, "name": "Anna Test"}
    )
    services.submit_assessment(
        store, world.therapist_a, patient.id, make_assessment(), kb
    )
    services.request_clearance(store, world.therapist_a, patient.id)
    services.record_clearance(
        store,
        world.physician_a,
        patient.id,
        {"status": "approved", "valid_until": today() + dt.timedelta(days=30)},
        kb,
    )
    return patient.id


@pytest.fixture
def cds(cds_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(cds_app, raise_server_exceptions=False) as client:
        yield client
