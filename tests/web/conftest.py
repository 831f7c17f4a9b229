"""Fixtures of the web tests: an app with in-memory accounts, clients signed in or not."""

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
from tests.pg import templates  # noqa: F401  (fixture of tests.web.clinic)
from tests.web.accounts import PASSWORD, MemoryAuthenticator, token_of
from tests.web.clinic import clinic  # noqa: F401  (fixture)

from spinewise.config import Settings
from spinewise.kb import KnowledgeBase
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


@pytest.fixture
def settings(tmp_path) -> Settings:  # type: ignore[no-untyped-def]
    return Settings(database_url=f"sqlite:///{tmp_path / 'web.sqlite3'}")


@pytest.fixture
def authenticator() -> MemoryAuthenticator:
    return MemoryAuthenticator()


@pytest.fixture
def app(
    settings: Settings, kb: KnowledgeBase, authenticator: MemoryAuthenticator
) -> FastAPI:
    return create_app(settings, kb=kb, authenticator=authenticator)


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
