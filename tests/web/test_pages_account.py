"""The account pages: "Your sessions", "API tokens", the password and two-factor
sign-in, and the sign-in steps they add: a code for a user with two-factor sign-in,
a temporary password changed first, enrolment forced for administrators and
physicians in production mode."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import httpx
import pyotp
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.pg import PASSWORD
from tests.web.clinic import CLIENT_OPTIONS, Clinic
from tests.web.conftest import csrf_of, sign_in

from spinewise import services
from spinewise.config import Settings
from spinewise.web import create_app


def test_your_sessions_lists_each_signed_in_browser(
    app: FastAPI, user: TestClient
) -> None:
    with TestClient(app, headers={"User-Agent": "OtherDevice/2"}) as phone:
        sign_in(phone, "alice")
        page = user.get("/account/sessions")
    assert page.status_code == 200
    assert "OtherDevice/2" in page.text and "(this browser)" in page.text
    assert len(re.findall(r"/account/sessions/\d+/end", page.text)) == 2


def session_id_of(page: str, device: str) -> str:
    """The id in the sign-out form of the row that names ``device``."""
    for row in re.findall(r"<tr>.*?</tr>", page, re.S):
        if device in row:
            found = re.search(r"/account/sessions/(\d+)/end", row)
            assert found
            return found.group(1)
    raise AssertionError(f"no session of {device}")


def test_signing_out_another_session_ends_only_that_one(
    app: FastAPI, user: TestClient
) -> None:
    with TestClient(app, headers={"User-Agent": "OtherDevice/2"}) as phone:
        sign_in(phone, "alice")
        page = user.get("/account/sessions").text
        phones = session_id_of(page, "OtherDevice/2")
        response = user.post(
            f"/account/sessions/{phones}/end", data={"csrf_token": csrf_of(page)}
        )
        assert response.status_code == 200  # back on the list, still signed in
        assert "OtherDevice/2" not in response.text
        assert phone.get("/screen", follow_redirects=False).status_code == 303
        assert user.get("/screen").status_code == 200


def test_a_user_cannot_end_someone_elses_session(
    app: FastAPI, user: TestClient
) -> None:
    with TestClient(app, headers={"User-Agent": "BobsDesk/1"}) as bobs:
        sign_in(bobs, "bob")
        bobs_id = session_id_of(bobs.get("/account/sessions").text, "BobsDesk/1")
        token = csrf_of(user.get("/account/sessions").text)
        response = user.post(
            f"/account/sessions/{bobs_id}/end", data={"csrf_token": token}
        )
        assert response.status_code == 404
        assert bobs.get("/screen").status_code == 200


def test_sign_out_everywhere_ends_every_session_of_the_user(
    app: FastAPI, user: TestClient
) -> None:
    with TestClient(app) as phone, TestClient(app) as bobs:
        sign_in(phone, "alice")
        sign_in(bobs, "bob")
        token = csrf_of(user.get("/account/sessions").text)
        user.post("/account/sessions/end-all", data={"csrf_token": token})
        assert phone.get("/screen", follow_redirects=False).status_code == 303
        assert user.get("/screen", follow_redirects=False).status_code == 303
        assert bobs.get("/screen").status_code == 200


def test_a_user_sees_their_tokens_and_an_admin_the_clinics(
    app: FastAPI, client: TestClient
) -> None:
    sign_in(client, "alice")
    mine = client.get("/account/tokens").text
    assert "alice" in mine and "bob" not in mine
    with TestClient(app) as admin:
        sign_in(admin, "dana")
        clinic = admin.get("/account/tokens").text
    assert all(name in clinic for name in ("alice", "bob", "dana"))
    assert "charlie" not in clinic


def test_revoking_on_the_page_stops_the_token_at_once(
    app: FastAPI, api: TestClient
) -> None:
    assert api.get("/api/v1/kb").status_code == 200
    [alices] = api.get("/api/v1/tokens").json()
    with TestClient(app) as admin:
        sign_in(admin, "dana")
        token = csrf_of(admin.get("/account/tokens").text)
        response = admin.post(
            f"/account/tokens/{alices['id']}/revoke", data={"csrf_token": token}
        )
        assert response.status_code == 200  # back on the list
        assert "revoked" in response.text
    assert api.get("/api/v1/kb").status_code == 401


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
    assert first.headers["location"].startswith("/login/code")
    assert client.get("/patients", follow_redirects=False).status_code == 303
    wrong = post_form(client, "/login/code", "/login/code", code="123456")
    assert wrong.status_code == 401
    assert "That code is not right" in wrong.text
    code = pyotp.TOTP(secret).at(time.time() + 30)
    done = post_form(client, "/login/code", "/login/code", code=code)
    assert done.status_code == 303
    assert client.get("/patients").status_code == 200
    other = clinic.anonymous()
    assert log_in(other, "physician-a").headers["location"].startswith("/login/code")
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
    app = create_app(settings, kb=clinic.kb, store=clinic.store)
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


def test_changing_the_password_ends_the_other_sessions_and_renews_this_one(
    clinic: Clinic,
) -> None:
    client = clinic.as_page("therapist_a")
    other = clinic.as_page("therapist_a")
    old_cookie = client.cookies.get("spinewise_session")
    page = "/account/password"
    done = post_form(
        client,
        page,
        page,
        current_password=PASSWORD,
        new_password=NEW,
        new_password_again=NEW,
    )
    assert done.status_code == 303
    assert client.cookies.get("spinewise_session") not in (None, old_cookie)
    assert client.get("/patients", follow_redirects=False).status_code == 200
    assert other.get("/patients", follow_redirects=False).status_code == 303
    stale = clinic.anonymous()
    stale.cookies.set("spinewise_session", str(old_cookie))
    assert stale.get("/patients", follow_redirects=False).status_code == 303


def test_a_pending_sign_in_is_not_signed_in_and_cannot_be_used_twice(
    clinic: Clinic,
) -> None:
    secret, _ = enrol_through_the_pages(clinic.as_page("physician_a"))
    client = clinic.anonymous()
    log_in(client, "physician-a")
    assert client.cookies.get("spinewise_session") is None
    assert client.get("/account", follow_redirects=False).status_code == 303
    pending = client.cookies.get("spinewise_pending")
    code = pyotp.TOTP(secret).at(time.time() + 30)
    assert post_form(client, "/login/code", "/login/code", code=code).status_code == 303
    replay = clinic.anonymous()
    replay.cookies.set("spinewise_pending", str(pending))
    again = pyotp.TOTP(secret).at(time.time() + 60)
    used = post_form(replay, "/login/code", "/login/code", code=again)
    assert used.headers["location"] == "/login"
    assert replay.cookies.get("spinewise_session") is None


def test_a_forged_pending_sign_in_goes_back_to_the_password(clinic: Clinic) -> None:
    client = clinic.anonymous()
    user_id = clinic.actor("physician_a").user_id
    client.cookies.set("spinewise_pending", f"{user_id}.9999999999.nonce.bad")
    response = post_form(client, "/login", "/login/code", code="123456")
    assert response.headers["location"] == "/login"
