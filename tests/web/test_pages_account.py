"""The account pages: "Your sessions" and "API tokens"."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.web.conftest import csrf_of, sign_in


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
