"""Server-side sessions through the browser's eyes: forged cookies fail, a copied
cookie dies at sign-out, the id changes at sign-in, several processes agree."""

from __future__ import annotations

import base64
import json

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner
from tests.web.accounts import PASSWORD, token_of
from tests.web.conftest import csrf_of, sign_in

from spinewise.config import Settings
from spinewise.kb import KnowledgeBase
from spinewise.store import Store, open_store
from spinewise.web import create_app
from spinewise.web.security import PRESESSION_COOKIE, SESSION_COOKIE

GUESSABLE = ["dev-only-secret-change-me", "secret", "", "spinewise", "changeme"]


def signed_session(secret: str, user_id: int) -> str:
    """A cookie as the old signed-cookie sessions made them, for ``user_id``."""
    data = base64.b64encode(json.dumps({"uid": str(user_id)}).encode())
    return TimestampSigner(secret or "x").sign(data).decode()


@pytest.mark.parametrize("secret", GUESSABLE)
def test_a_cookie_forged_with_a_guessable_secret_signs_nobody_in(
    client: TestClient, user_ids: dict[str, int], secret: str
) -> None:
    client.cookies.set(SESSION_COOKIE, signed_session(secret, user_ids["dana"]))
    response = client.get("/audit", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


def test_a_cookie_copied_before_sign_out_is_refused_after_it(
    app: FastAPI, user: TestClient
) -> None:
    copied = user.cookies[SESSION_COOKIE]
    token = csrf_of(user.get("/screen").text)
    user.post("/logout", data={"csrf_token": token})
    with TestClient(app, raise_server_exceptions=False) as thief:
        thief.cookies.set(SESSION_COOKIE, copied)
        assert thief.get("/screen", follow_redirects=False).status_code == 303


def test_signing_in_rotates_the_session_id(app: FastAPI, client: TestClient) -> None:
    sign_in(client, "alice")
    first = client.cookies[SESSION_COOKIE]
    sign_in(client, "alice")  # again, in the same browser
    second = client.cookies[SESSION_COOKIE]
    assert first != second
    with TestClient(app, raise_server_exceptions=False) as old:
        old.cookies.set(SESSION_COOKIE, first)
        assert old.get("/screen", follow_redirects=False).status_code == 303


def test_a_planted_session_id_is_never_adopted(client: TestClient) -> None:
    planted = "planted-by-an-attacker-0123456789abcdef"
    token = csrf_of(client.get("/login").text)
    presession = client.cookies[PRESESSION_COOKIE]
    client.cookies.clear()
    response = client.post(
        "/login",
        data={"username": "alice", "password": PASSWORD, "csrf_token": token},
        headers={
            "Cookie": f"{PRESESSION_COOKIE}={presession}; {SESSION_COOKIE}={planted}"
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    given = response.headers["set-cookie"].split(";")[0].split("=", 1)[1]
    assert given != planted and len(given) >= 43


def test_the_csrf_token_belongs_to_the_session(
    app: FastAPI, client: TestClient
) -> None:
    sign_in(client, "alice")
    alices = csrf_of(client.get("/screen").text)
    with TestClient(app, raise_server_exceptions=False) as other:
        sign_in(other, "bob")
        response = other.post("/logout", data={"csrf_token": alices})
        assert response.status_code == 403


def second_process(settings: Settings, kb: KnowledgeBase) -> tuple[FastAPI, Store]:
    """Another app on the same database file, with its own engine: what a second
    server process is to the first."""
    store = open_store(settings.database_url)
    return create_app(settings, kb=kb, store=store), store


def test_a_session_started_in_one_process_ends_in_the_other_at_sign_out(
    settings: Settings, kb: KnowledgeBase, user: TestClient
) -> None:
    other_app, other_store = second_process(settings, kb)
    try:
        with TestClient(other_app, raise_server_exceptions=False) as other:
            other.cookies.set(SESSION_COOKIE, user.cookies[SESSION_COOKIE])
            assert other.get("/screen").status_code == 200
            user.post("/logout", data={"csrf_token": csrf_of(user.get("/screen").text)})
            assert other.get("/screen", follow_redirects=False).status_code == 303
    finally:
        other_store.dispose()


def test_a_revoked_token_is_refused_by_the_other_process_on_the_next_request(
    settings: Settings, kb: KnowledgeBase, api: TestClient, web_store: Store
) -> None:
    other_app, other_store = second_process(settings, kb)
    headers = {"Authorization": f"Bearer {token_of('alice')}"}
    try:
        with TestClient(other_app, headers=headers) as other:
            assert other.get("/api/v1/kb").status_code == 200
            [mine] = api.get("/api/v1/tokens").json()
            assert api.delete(f"/api/v1/tokens/{mine['id']}").status_code == 204
            assert other.get("/api/v1/kb").status_code == 401
    finally:
        other_store.dispose()


def login_status(client: TestClient, username: str, password: str) -> int:
    token = csrf_of(client.get("/login").text)
    data = {"username": username, "password": password, "csrf_token": token}
    return client.post("/login", data=data, follow_redirects=False).status_code


def test_throttling_holds_across_processes(
    settings: Settings, kb: KnowledgeBase, client: TestClient
) -> None:
    other_app, other_store = second_process(settings, kb)
    try:
        with TestClient(other_app, raise_server_exceptions=False) as other:
            for number in range(settings.signin_failures_per_account):
                one = client if number % 2 else other
                assert login_status(one, "alice", "wrong") == 401
            assert login_status(other, "alice", PASSWORD) == 429
            assert login_status(client, "alice", PASSWORD) == 429
    finally:
        other_store.dispose()


def test_a_spraying_address_is_stopped_but_a_nat_neighbour_keeps_working(
    settings: Settings, kb: KnowledgeBase, web_store: Store
) -> None:
    # the anonymous-page rate limit would stop the sprayer first: lift it, so that
    # this test shows the sign-in throttle alone
    lifted = settings.model_copy(update={"anonymous_requests_per_minute": 10_000})
    app = create_app(lifted, kb=kb, store=web_store)
    office = ("198.51.100.20", 50000)  # one public address for the whole clinic
    with (
        TestClient(app, client=office, raise_server_exceptions=False) as neighbour,
        TestClient(app, client=office, raise_server_exceptions=False) as sprayer,
        TestClient(
            app, client=("198.51.100.99", 1), raise_server_exceptions=False
        ) as elsewhere,
    ):
        sign_in(neighbour, "bob")
        names = ["alice", "charlie", "dana", "nobody", "x-1", "x-2"]
        for number in range(settings.signin_failures_per_address):
            login_status(sprayer, names[number % len(names)], f"guess-{number}")
        token = csrf_of(sprayer.get("/login").text)
        refused = sprayer.post(
            "/login",
            data={"username": "bob", "password": PASSWORD, "csrf_token": token},
        )
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) > 0
        assert neighbour.get("/screen").status_code == 200
        assert login_status(elsewhere, "bob", PASSWORD) == 303


def test_the_sign_in_messages_never_say_which_part_was_wrong(
    client: TestClient,
) -> None:
    wrong_password = client.post(
        "/login",
        data={
            "username": "alice",
            "password": "nope",
            "csrf_token": csrf_of(client.get("/login").text),
        },
    )
    unknown_user = client.post(
        "/login",
        data={
            "username": "zed",
            "password": "nope",
            "csrf_token": csrf_of(client.get("/login").text),
        },
    )
    assert wrong_password.status_code == unknown_user.status_code == 401
    message = "The username or the password is not right."
    assert message in wrong_password.text and message in unknown_user.text


def test_the_sessions_table_keeps_the_client_address_and_agent(app: FastAPI) -> None:
    with TestClient(
        app, client=("192.0.2.44", 1234), headers={"User-Agent": "TestBrowser/1"}
    ) as browser:
        sign_in(browser, "alice")
        page = browser.get("/account/sessions").text
    assert "192.0.2.44" in page and "TestBrowser/1" in page
