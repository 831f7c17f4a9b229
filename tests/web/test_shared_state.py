"""Two server processes on one database, SQLite and PostgreSQL: a revoked token, a
signed-out session and sign-in failures seen by one are seen by the other."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests import pg
from tests.pg import PASSWORD, World
from tests.web.conftest import csrf_of

from spinewise import services
from spinewise.config import Settings
from spinewise.kb import KnowledgeBase
from spinewise.store import Store, open_store
from spinewise.web import create_app

# the database fixtures of tests/pg.py, on SQLite and PostgreSQL
backend, database_url, pg_cluster, store, world = (
    pg.backend,
    pg.database_url,
    pg.pg_cluster,
    pg.store,
    pg.world,
)


@pytest.fixture
def two_apps(
    database_url: str, store: Store, kb: KnowledgeBase
) -> Iterator[tuple[FastAPI, FastAPI]]:
    """Two apps on the same database, each with its own engine and connections."""
    settings = Settings(database_url=database_url)
    other = open_store(database_url)
    yield (
        create_app(settings, kb=kb, store=store),
        create_app(settings, kb=kb, store=other),
    )
    other.dispose()


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> int:
    token = csrf_of(client.get("/login").text)
    data = {"username": username, "password": password, "csrf_token": token}
    return client.post("/login", data=data, follow_redirects=False).status_code


def test_a_token_revoked_through_one_process_is_refused_by_the_other_at_once(
    two_apps: tuple[FastAPI, FastAPI], store: Store, world: World
) -> None:
    issued = services.issue_api_token(store, world.therapist_a)
    headers = {"Authorization": f"Bearer {issued.token}"}
    first, second = two_apps
    with (
        TestClient(first, headers=headers) as one,
        TestClient(second, headers=headers) as two,
    ):
        assert two.get("/api/v1/kb").status_code == 200
        assert one.delete(f"/api/v1/tokens/{issued.id}").status_code == 204
        assert two.get("/api/v1/kb").status_code == 401


def test_a_session_ended_in_one_process_is_over_in_the_other(
    two_apps: tuple[FastAPI, FastAPI], world: World
) -> None:
    first, second = two_apps
    with TestClient(first) as one, TestClient(second) as two:
        assert sign_in(one, "therapist-a") == 303
        two.cookies.update(one.cookies)
        assert two.get("/screen").status_code == 200
        one.post("/logout", data={"csrf_token": csrf_of(one.get("/screen").text)})
        assert two.get("/screen", follow_redirects=False).status_code == 303


def test_sign_in_failures_count_across_processes(
    two_apps: tuple[FastAPI, FastAPI], world: World
) -> None:
    first, second = two_apps
    with TestClient(first) as one, TestClient(second) as two:
        for number in range(5):
            assert sign_in(one if number % 2 else two, "physician-a", "nope") == 401
        assert sign_in(one, "physician-a") == 429
        assert sign_in(two, "physician-a") == 429
        assert sign_in(two, "therapist-a") == 303
