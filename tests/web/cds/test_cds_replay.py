"""A hook JWT is used once, whatever its call answered, in every process on the
database; the ``jti`` is claimed in the transaction that records the call."""

from __future__ import annotations

import concurrent.futures
from typing import Any

from fastapi import FastAPI
from tests import pg
from tests.factories import make_assessment
from tests.interop.fhir_server import EhrServer
from tests.web.cds.support import (
    PATIENT_VIEW,
    TestClient,
    cds_settings,
    patient_view,
    prefetch_of,
    signed,
)

from spinewise import services
from spinewise.kb import KnowledgeBase
from spinewise.store import open_store
from spinewise.web import create_app

URL = f"/cds-services/{PATIENT_VIEW}"


def good() -> dict[str, Any]:
    return patient_view(prefetch_of(make_assessment()))


def shown(store: Any, world: pg.World) -> int:
    report = services.feedback_report(store, world.physician_a)
    return sum(r.shown for r in report if r.rule == "verdict")


def test_a_replay_is_refused_and_records_nothing(
    cds: TestClient, store: Any, world: pg.World
) -> None:
    headers = signed(jti="once-only")
    assert cds.post(URL, json=good(), headers=headers).status_code == 200
    assert cds.post(URL, json=good(), headers=headers).status_code == 401
    assert shown(store, world) == 1


def test_a_token_spent_on_a_failed_call_cannot_be_used_again(cds: TestClient) -> None:
    headers = signed(jti="spent-on-a-400")
    assert (
        cds.post(URL, json={"hook": "patient-view"}, headers=headers).status_code == 400
    )
    assert cds.post(URL, json=good(), headers=headers).status_code == 401


def test_a_replay_with_a_bad_body_is_refused_not_told_what_is_wrong(
    cds: TestClient,
) -> None:
    headers = signed(jti="replayed-with-garbage")
    assert cds.post(URL, json=good(), headers=headers).status_code == 200
    assert cds.post(URL, content=b"{", headers=headers).status_code == 401


def test_a_replay_naming_a_fhir_server_fetches_nothing(
    cds: TestClient, ehr: EhrServer
) -> None:
    headers = signed(jti="no-fetch-on-replay")
    assert cds.post(URL, json=good(), headers=headers).status_code == 200
    before = list(ehr.data.requests)
    answer = cds.post(URL, json=patient_view(ehr=ehr), headers=headers)
    assert answer.status_code == 401
    assert ehr.data.requests == before  # not even the questionnaire search


def test_another_process_on_the_database_refuses_the_replay(
    cds_app: FastAPI, ehr: EhrServer, database_url: str, kb: KnowledgeBase
) -> None:
    """Two apps, each with its own store (as two server processes have), one database:
    SQLite and PostgreSQL."""
    second = open_store(database_url)
    other = create_app(cds_settings(ehr, database_url), kb=kb, store=second)
    headers = signed(jti="seen-by-every-worker")
    try:
        with (
            TestClient(cds_app, raise_server_exceptions=False) as one,
            TestClient(other, raise_server_exceptions=False) as two,
        ):
            assert one.post(URL, json=good(), headers=headers).status_code == 200
            assert two.post(URL, json=good(), headers=headers).status_code == 401
            fresh = signed(jti="first-used-on-the-second")
            assert two.post(URL, json=good(), headers=fresh).status_code == 200
            assert one.post(URL, json=good(), headers=fresh).status_code == 401
    finally:
        second.dispose()


def test_concurrent_uses_of_one_token_answer_once(
    cds_app: FastAPI, store: Any, world: pg.World
) -> None:
    calls = 8
    headers = signed(jti="raced")
    with TestClient(cds_app, raise_server_exceptions=False) as client:
        with concurrent.futures.ThreadPoolExecutor(calls) as pool:
            answers = list(
                pool.map(
                    lambda _: (
                        client.post(URL, json=good(), headers=headers).status_code
                    ),
                    range(calls),
                )
            )
    assert sorted(answers) == [200] + [401] * (calls - 1)
    assert shown(store, world) == 1
