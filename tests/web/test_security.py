"""Security headers, the session cookie, CSRF on every page form, login throttling."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.factories import assessment_data
from tests.web.accounts import PASSWORD
from tests.web.conftest import csrf_of, deactivate, routes, sign_in

from spinewise import services
from spinewise.config import Settings
from spinewise.kb import KnowledgeBase
from spinewise.store import Store
from spinewise.web import create_app
from spinewise.web.middleware import CONTENT_SECURITY_POLICY
from spinewise.web.pages.login import safe_next
from spinewise.web.security import PRESESSION_COOKIE, SESSION_COOKIE

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


@pytest.mark.parametrize(
    "path", ["/api/v1/health", "/login", "/static/app.css", "/nowhere", "/api/v1/kb"]
)
def test_every_answer_carries_the_security_headers(
    client: TestClient, path: str
) -> None:
    headers = client.get(path).headers
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"
    assert "strict-transport-security" not in headers


def test_pages_and_api_answers_are_not_cached_but_static_files_may_be(
    client: TestClient,
) -> None:
    assert client.get("/login").headers["cache-control"] == "no-store"
    assert client.get("/api/v1/health").headers["cache-control"] == "no-store"
    assert "cache-control" not in client.get("/static/app.css").headers


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=\"/static/)[^>]*>")


def test_the_pages_hold_no_inline_script_or_style(user: TestClient) -> None:
    """Scripts only as files from /static (the CSP's ``script-src 'self'``)."""
    for path in ("/login", "/screen", "/kb", "/patients"):
        html = user.get(path).text
        assert not INLINE_SCRIPT.search(html) and "<style" not in html, path
        assert " style=" not in html and " onclick=" not in html, path
        for script in re.findall(r"<script[^>]*></script>", html):
            assert re.fullmatch(
                r'<script src="/static/[\w.-]+\?v=[\w.]+" defer></script>', script
            ), script


def production_app(kb: KnowledgeBase, settings: Settings, store: Store) -> FastAPI:
    production = Settings(
        mode="production", secret_key="s" * 40, database_url=settings.database_url
    )
    return create_app(production, kb=kb, store=store)


def test_production_adds_hsts_and_secure_cookies(
    kb: KnowledgeBase, settings: Settings, web_store: Store
) -> None:
    app = production_app(kb, settings, web_store)
    with TestClient(app, base_url="https://testserver") as client:
        response = client.get("/login")
        presession = response.headers["set-cookie"].lower()
        signed_in = client.post(
            "/login",
            data={
                "username": "alice",
                "password": PASSWORD,
                "csrf_token": csrf_of(response.text),
            },
            follow_redirects=False,
        )
        assert client.get("/screen").status_code == 200  # the session works
    assert response.headers["strict-transport-security"].startswith("max-age=")
    assert "secure" in presession and "httponly" in presession
    assert presession.startswith(f"__host-{PRESESSION_COOKIE}=")
    session = signed_in.headers["set-cookie"].lower()
    assert session.startswith(f"__host-{SESSION_COOKIE}=") and "path=/" in session
    assert "secure" in session and "httponly" in session and "samesite=lax" in session


def test_the_session_cookie_is_a_random_id_httponly_and_samesite_lax(
    client: TestClient,
) -> None:
    first = client.get("/login")
    assert first.headers["set-cookie"].startswith(f"{PRESESSION_COOKIE}=")
    response = client.post(
        "/login",
        data={
            "username": "alice",
            "password": PASSWORD,
            "csrf_token": csrf_of(first.text),
        },
        follow_redirects=False,
    )
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    flags = cookie.lower()
    assert "httponly" in flags and "samesite=lax" in flags and "path=/" in flags
    assert "secure" not in flags
    value = client.cookies[SESSION_COOKIE]
    assert len(value) >= 43 and "." not in value  # an id, not signed data


def test_a_tampered_session_cookie_signs_nobody_in(user: TestClient) -> None:
    value = user.cookies[SESSION_COOKIE]
    user.cookies.set(
        SESSION_COOKIE, value[:-3] + ("AAA" if value[-3:] != "AAA" else "BBB")
    )
    response = user.get("/screen", follow_redirects=False)
    assert response.status_code == 303


def test_signing_in_starts_a_fresh_session_with_a_new_csrf_token(
    client: TestClient,
) -> None:
    before = csrf_of(client.get("/login").text)
    sign_in(client)
    after = csrf_of(client.get("/screen").text)
    assert before != after


def test_every_unsafe_page_route_refuses_a_request_without_the_csrf_token(
    app: FastAPI, user: TestClient
) -> None:
    checked = 0
    for path, methods in routes(app):
        if path.startswith(("/api/", "/cds-services")):
            continue  # bearer tokens / CDS Hooks JWTs, never the session cookie
        if path == "/unsubscribe/{token}":
            continue  # RFC 8058 one-click: the signed token is the whole authority
        for method in methods & UNSAFE:
            response = user.request(method, path.replace("{", "").replace("}", ""))
            assert response.status_code == 403, (method, path)
            assert "expired" in response.text
            checked += 1
    assert checked >= 3


@pytest.mark.parametrize("token", ["", "wrong", "x" * 43])
def test_a_login_with_a_wrong_csrf_token_is_refused(
    client: TestClient, token: str
) -> None:
    client.get("/login")
    response = client.post(
        "/login", data={"username": "alice", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 403
    assert client.get("/screen", follow_redirects=False).status_code == 303


def test_the_csrf_token_may_come_in_a_header(user: TestClient) -> None:
    token = csrf_of(user.get("/screen").text)
    response = user.post(
        "/logout", headers={"X-CSRF-Token": token}, follow_redirects=False
    )
    assert response.status_code == 303


def test_a_forged_sign_out_leaves_the_user_signed_in(user: TestClient) -> None:
    assert user.post("/logout", follow_redirects=False).status_code == 403
    assert user.get("/screen").status_code == 200


def test_signing_out_ends_the_session(user: TestClient) -> None:
    token = csrf_of(user.get("/screen").text)
    user.post("/logout", data={"csrf_token": token})
    assert user.get("/screen", follow_redirects=False).status_code == 303


def test_a_disabled_users_session_no_longer_works(
    user: TestClient, web_store: Store
) -> None:
    deactivate(web_store, "alice")
    response = user.get("/screen", follow_redirects=False)
    assert response.headers["location"] == "/login?next=/screen"


def attempt(client: TestClient, password: str) -> int:
    token = csrf_of(client.get("/login").text)
    data = {"username": "alice", "password": password, "csrf_token": token}
    return client.post("/login", data=data, follow_redirects=False).status_code


def test_logins_are_throttled_per_username_after_the_allowed_failures(
    client: TestClient, settings: Settings
) -> None:
    limit = settings.signin_failures_per_account
    assert [attempt(client, "wrong") for _ in range(limit)] == [401] * limit
    response_status = attempt(client, PASSWORD)
    assert response_status == 429
    token = csrf_of(client.get("/login").text)
    other = {"username": "bob", "password": PASSWORD, "csrf_token": token}
    assert client.post("/login", data=other, follow_redirects=False).status_code == 303


def test_a_throttled_login_says_when_to_try_again(
    client: TestClient, settings: Settings
) -> None:
    for _ in range(settings.signin_failures_per_account):
        attempt(client, "wrong")
    token = csrf_of(client.get("/login").text)
    data = {"username": "alice", "password": PASSWORD, "csrf_token": token}
    response = client.post("/login", data=data)
    assert response.status_code == 429
    assert 1 <= int(response.headers["retry-after"]) <= 30
    assert "Too many failed attempts" in response.text


def test_a_successful_login_forgets_the_earlier_failures(
    client: TestClient, settings: Settings, web_store: Store
) -> None:
    for _ in range(settings.signin_failures_per_account - 1):
        attempt(client, "wrong")
    assert attempt(client, PASSWORD) == 303
    policy = services.SigninPolicy.of(settings)
    assert services.signin_wait(web_store, "alice", "testclient", policy) is None
    client.cookies.clear()
    assert attempt(client, "wrong") == 401  # counted from zero again


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/kb", "/kb"),
        ("/screen?x=1#y", "/screen?x=1#y"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example/", "/"),
        ("javascript:alert(1)", "/"),
        ("/kb\r\nSet-Cookie: x=1", "/"),
        ("", "/"),
    ],
)
def test_after_sign_in_only_a_local_path_is_followed(
    target: str, expected: str
) -> None:
    assert safe_next(target) == expected


def test_a_deactivated_users_token_is_refused_on_the_next_request(
    api: TestClient, web_store: Store
) -> None:
    assert api.post("/api/v1/screen", json=assessment_data()).status_code == 200
    deactivate(web_store, "alice")
    assert api.post("/api/v1/screen", json=assessment_data()).status_code == 401
