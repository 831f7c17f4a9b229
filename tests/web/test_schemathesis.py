"""Schemathesis against the whole OpenAPI schema: no generated input gets a 5xx answer.

The app runs on the real store (a SQLite file seeded with two clinics, a patient
with a decision, a clearance and a plan), and every request carries a therapist's
API token, so the generated requests reach the services rather than stopping at
401. Every other default check runs too (status codes, content types and bodies as
documented, schema-violating input refused), except "schema-valid input accepted":
the schema cannot express the contract's cross-field rules (a level must belong to
the region, dates may not follow the assessment), nor whether a record exists, so
valid-looking input may get a 404, 409 or a 422 that names the field.

The lazy ``schemathesis.pytest.from_fixture`` loader reads a pytest private attribute
that pytest 9 removed, so the app is built at import time for this module only.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance
from tests.factories import assessment_data
from tests.pg import seed_world

from spinewise import services
from spinewise.config import Settings
from spinewise.kb import load_kb
from spinewise.store import open_store, upgrade
from spinewise.web import create_app

KB = load_kb()
FOLDER = tempfile.TemporaryDirectory(prefix="spinewise-schemathesis-")
URL = f"sqlite:///{Path(FOLDER.name) / 'api.sqlite3'}"
STORE = open_store(URL)
upgrade(STORE)
WORLD = seed_world(STORE)


def _seed() -> str:
    """A patient with a decision, an approval and a plan; the therapist's token."""
    therapist, physician = WORLD.therapist_a, WORLD.physician_a
    patient = services.register_patient(
        STORE, therapist, {"record_number": "S-1", "name": "Sam Example"}
    )
    services.submit_assessment(STORE, therapist, patient.id, assessment_data(), KB)
    services.record_clearance(
        STORE, physician, patient.id, {"status": "approved", "reason": "fine"}, KB
    )
    for kind in services.ConsentKind:
        services.record_consent(STORE, therapist, patient.id, kind, given=True)
    services.issue_plan(
        STORE, therapist, patient.id, KB, start_date=dt.date(2026, 12, 1)
    )
    return services.issue_api_token(STORE, therapist).token


AUTH = {"Authorization": f"Bearer {_seed()}"}
APP = create_app(Settings(database_url=URL), kb=KB, store=STORE)
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_answers_every_generated_request_without_a_server_error(
    case: schemathesis.Case,
) -> None:
    case.call_and_validate(headers=AUTH, excluded_checks=[positive_data_acceptance])
