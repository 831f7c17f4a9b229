"""The account pages and the sign-in steps they add: a code for a user with
two-factor sign-in, a temporary password changed first, enrolment forced for
administrators and physicians in production mode."""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterator

import httpx
import pyotp
import pytest
from starlette.exceptions import StarletteDeprecationWarning
from tests.pg import PASSWORD
from tests.web.clinic import CLIENT_OPTIONS, Clinic, csrf_of

from spinewise import services
from spinewise.config import Settings
from spinewise.services import Interface, StoreAuthenticator
from spinewise.web import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

NEW = "violet harbour lantern"


def post_form(
    client: TestClient, page: str, action: str, **data: str
) -> httpx.Response:
    token = csrf_of(client.get(page).text)
    return client.post(
        action, data={**data, "csrf_token": token}, follow_redirects=False
    )


def log_in(
    client: TestClient, username: str, password: str = PASSWORD
) -> httpx.Response:
    return post_form(client, "/login", "/login", username=username, password=password)


def test_a_user_changes_their_password_and_weak_ones_are_refused_saying_why(
    clinic: Clinic,
) -> None:
    client = clinic.as_page("therapist_a")
    page = "/account/password"
    fields = {"current_password": PASSWORD, "new_password_again": "password1234"}
    weak = post_form(client, page, page, new_password="password1234", **fields)
    assert weak.status_code == 422
    assert "New password: is one of the most common passwords" in weak.text
    short = post_form(
        client,
        page,
        page,
        **{**fields, "new_password": "short", "new_password_again": "short"},
    )
    assert short.status_code == 422 and "at least 12 characters" in short.text
    done = post_form(
        client, page, page, **{**fields, "new_password": NEW, "new_password_again": NEW}
    )
    assert (
        done.status_code == 303 and done.headers["location"] == "/account?done=password"
    )
    assert client.get("/patients").status_code == 200  # still signed in
    again = clinic.anonymous()
    assert log_in(again, "therapist-a").status_code == 401
    assert log_in(again, "therapist-a", NEW).status_code == 303


def test_a_temporary_password_must_be_changed_before_anything_else(
    clinic: Clinic,
) -> None:
    temporary = services.reset_password(
        clinic.store, clinic.actor("admin_a"), clinic.actor("therapist_a").user_id
    )
    client = clinic.anonymous()
    assert log_in(client, "therapist-a", temporary).status_code == 303
    for path in ("/patients", "/clearances", "/screen"):
        refused = client.get(path, follow_redirects=False)
        assert refused.headers["location"] == "/account/password", path
    page = client.get("/account/password")
    assert "You signed in with a temporary password" in page.text
    done = post_form(
        client,
        "/account/password",
        "/account/password",
        current_password=temporary,
        new_password=NEW,
        new_password_again=NEW,
    )
    assert done.status_code == 303
    assert client.get("/patients", follow_redirects=False).status_code == 200


def enrol_through_the_pages(client: TestClient) -> tuple[str, list[str]]:
    started = post_form(client, "/account/two-factor", "/account/two-factor/start")
    assert started.headers["location"] == "/account/two-factor"
    page = client.get("/account/two-factor").text
    assert "<svg" in page
    secret = page.split('<code class="secret">', 1)[1].split("<", 1)[0]
    wrong = post_form(
        client, "/account/two-factor", "/account/two-factor/confirm", code="000000"
    )
    assert wrong.status_code == 422
    shown = post_form(
        client,
        "/account/two-factor",
        "/account/two-factor/confirm",
        code=pyotp.TOTP(secret).now(),
    )
    assert shown.status_code == 200 and "shown once" in shown.text
    codes = [c.split("</code>")[0] for c in shown.text.split("<li><code>")[1:]]
    assert len(codes) == 10
    return secret, codes


def test_sign_in_with_two_factor_asks_for_the_code_on_a_second_step(
    clinic: Clinic,
) -> None:
    secret, codes = enrol_through_the_pages(clinic.as_page("physician_a"))
    client = clinic.anonymous()
    first = log_in(client, "physician-a")
    assert first.headers["location"] == "/login/code"
    assert client.get("/patients", follow_redirects=False).status_code == 303
    wrong = post_form(client, "/login/code", "/login/code", code="123456")
    assert wrong.status_code == 401
    assert "That code is not right" in wrong.text
    code = pyotp.TOTP(secret).at(time.time() + 30)
    done = post_form(client, "/login/code", "/login/code", code=code)
    assert done.status_code == 303
    assert client.get("/patients").status_code == 200
    other = clinic.anonymous()
    assert log_in(other, "physician-a").headers["location"] == "/login/code"
    reused = post_form(other, "/login/code", "/login/code", code=code)
    assert reused.status_code == 401  # the same code works once
    recovered = post_form(other, "/login/code", "/login/code", code=codes[0])
    assert recovered.status_code == 303


def test_a_wrong_password_for_a_two_factor_user_says_only_that_sign_in_failed(
    clinic: Clinic,
) -> None:
    enrol_through_the_pages(clinic.as_page("physician_a"))
    response = log_in(clinic.anonymous(), "physician-a", "wrong password here")
    assert response.status_code == 401
    assert "The username or the password is not right." in response.text


def test_five_wrong_codes_end_the_pending_sign_in(clinic: Clinic) -> None:
    enrol_through_the_pages(clinic.as_page("physician_a"))
    client = clinic.anonymous()
    log_in(client, "physician-a")
    for _ in range(4):
        post_form(client, "/login/code", "/login/code", code="000000")
    last = post_form(client, "/login/code", "/login/code", code="000000")
    assert last.headers["location"] == "/login"
    assert client.get("/login/code", follow_redirects=False).status_code == 303


@pytest.fixture
def production(clinic: Clinic) -> Iterator[Clinic]:
    """The same clinic served in production mode (HTTPS, Secure cookies)."""
    settings = Settings(
        database_url=str(clinic.store.engine.url),
        mode="production",
        secret_key="p" * 16 + "r" * 16 + "o" * 8,
    )
    app = create_app(
        settings,
        kb=clinic.kb,
        authenticator=StoreAuthenticator(clinic.store, Interface.WEB),
        store=clinic.store,
    )
    yield Clinic(app, clinic.store, clinic.world, clinic.kb)


def https_client(clinic: Clinic) -> TestClient:
    client = TestClient(clinic.app, base_url="https://testserver", **CLIENT_OPTIONS)
    client.__enter__()
    return client


@pytest.mark.parametrize("username", ["admin-a", "physician-a"])
def test_in_production_admins_and_physicians_must_enrol_first(
    production: Clinic, username: str
) -> None:
    client = https_client(production)
    assert log_in(client, username).status_code == 303
    for path in ("/patients", "/audit", "/users", "/kb"):
        refused = client.get(path, follow_redirects=False)
        assert refused.headers["location"] == "/account/two-factor", path
    assert (
        "Your role must use two-factor sign-in"
        in client.get("/account/two-factor").text
    )
    enrol_through_the_pages(client)
    assert client.get("/kb", follow_redirects=False).status_code == 200
    client.__exit__(None, None, None)


def test_in_production_therapists_may_go_without_a_second_factor(
    production: Clinic,
) -> None:
    client = https_client(production)
    assert log_in(client, "therapist-a").status_code == 303
    assert client.get("/patients", follow_redirects=False).status_code == 200
    client.__exit__(None, None, None)
