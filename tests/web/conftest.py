"""Fixtures of the web tests: an app on a fresh copy of a small accounts database
(``tests.web.accounts``), clients signed in or not."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from starlette.exceptions import StarletteDeprecationWarning

with warnings.catch_warnings():
    # starlette 1.x prefers httpx2 for its test client; httpx works the same here.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient
from pathlib import Path

from tests.pg import (
    copy_sqlite,
    templates,  # noqa: F401  (fixture of tests.web.clinic)
)
from tests.web.accounts import PASSWORD, seed_accounts, token_of
from tests.web.clinic import clinic  # noqa: F401  (fixture)
from tests.web.servers import seeded_server  # noqa: F401  (fixture)

from spinewise import services
from spinewise.config import Settings
from spinewise.kb import KnowledgeBase
from spinewise.services import Actor
from spinewise.store import Store, open_store
from spinewise.web import create_app

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def routes(app: FastAPI) -> list[tuple[str, set[str]]]:
    """Every (path, methods) of the app, included routers flattened."""
    return [
        (c.path, set(c.methods))
        for c in iter_route_contexts(app.routes)
        if c.path is not None and c.methods
    ]


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, "the page has no CSRF field"
    return match.group(1)


@pytest.fixture(scope="session")
def accounts_template(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, dict[str, int]]:
    path = tmp_path_factory.mktemp("accounts") / "accounts.sqlite3"
    return path, seed_accounts(path)


@pytest.fixture
def user_ids(accounts_template: tuple[Path, dict[str, int]]) -> dict[str, int]:
    return accounts_template[1]


@pytest.fixture
def settings(
    tmp_path: Path, accounts_template: tuple[Path, dict[str, int]]
) -> Settings:
    path = tmp_path / "web.sqlite3"
    copy_sqlite(accounts_template[0], path)
    return Settings(database_url=f"sqlite:///{path}")


@pytest.fixture
def web_store(settings: Settings) -> Iterator[Store]:
    store = open_store(settings.database_url)
    yield store
    store.dispose()


@pytest.fixture
def app(settings: Settings, kb: KnowledgeBase, web_store: Store) -> FastAPI:
    return create_app(settings, kb=kb, store=web_store)


def deactivate(store: Store, name: str) -> None:
    """Deactivate a user of clinic A as its admin (dana)."""
    dana = services.authenticate(store, "dana", PASSWORD, services.Interface.CLI)
    assert isinstance(dana, Actor)
    target = services.authenticate(store, name, PASSWORD, services.Interface.CLI)
    assert target is not None
    services.set_user_active(store, dana, target.user_id, False)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def api(app: FastAPI) -> Iterator[TestClient]:
    """A JSON API client with alice's token."""
    headers = {"Authorization": f"Bearer {token_of('alice')}"}
    with TestClient(app, headers=headers, raise_server_exceptions=False) as test_client:
        yield test_client


def sign_in(client: TestClient, username: str = "alice") -> None:
    page = client.get("/login")
    response = client.post(
        "/login",
        data={
            "username": username,
            "password": PASSWORD,
            "csrf_token": csrf_of(page.text),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


@pytest.fixture
def user(client: TestClient) -> TestClient:
    """The page client, signed in as alice (a therapist of clinic A)."""
    sign_in(client)
    return client
