"""An answered hook call is on record: its cards shown, its audit event and its
``jti`` survive ``kill -9`` of the server process right after the answer was sent."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from tests.factories import make_assessment
from tests.interop.cds_keys import ISSUER
from tests.interop.fhir_server import EhrServer
from tests.pg import seed_world
from tests.web.cds.support import (
    CLINIC,
    PATIENT_VIEW,
    PUBLIC,
    patient_view,
    prefetch_of,
    signed,
)
from tests.web.servers import serving

from spinewise import services
from spinewise.services import Action, AuditFilter
from spinewise.store import UsedNonces, open_store, upgrade, utc_now


def test_the_call_record_survives_kill_9_after_the_answer(
    tmp_path: Path, ehr: EhrServer
) -> None:
    url = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    store = open_store(url)
    upgrade(store)
    world = seed_world(store)
    store.dispose()
    settings = {
        "SPINEWISE_PUBLIC_URL": PUBLIC,
        "SPINEWISE_CDS_CLINIC": CLINIC,
        "SPINEWISE_CDS_TRUSTED_ISSUERS": json.dumps({ISSUER: ehr.jwks_url}),
    }
    with serving(url, **settings) as server:
        answer = httpx.post(
            f"{server.base}/cds-services/{PATIENT_VIEW}",
            json=patient_view(prefetch_of(make_assessment())),
            headers=signed(jti="answered-then-killed"),
            timeout=60,
        )
        assert answer.status_code == 200, answer.text
        assert answer.json()["cards"]
        server.kill()
    assert server.process.returncode == -9
    after = open_store(url)
    report = services.feedback_report(after, world.physician_a)
    assert {r.rule: r.shown for r in report}["verdict"] == 1
    calls = services.list_audit(
        after, world.admin_a, AuditFilter(action=Action.READ, entity="cds_hook")
    )
    assert len(calls) == 1
    with after.unit_of_work() as uow:
        assert UsedNonces(uow.session).is_used(
            "cds-jti", "answered-then-killed", utc_now()
        )
    after.dispose()
