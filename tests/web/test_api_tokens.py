"""``/api/v1/tokens``: list and revoke, within the clinic only."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.web.accounts import token_of


def as_api(app: FastAPI, name: str) -> TestClient:
    headers = {"Authorization": f"Bearer {token_of(name)}"}
    return TestClient(app, headers=headers, raise_server_exceptions=False)


def test_a_user_lists_their_own_tokens_without_the_secret(api: TestClient) -> None:
    listed = api.get("/api/v1/tokens")
    assert listed.status_code == 200
    [token] = listed.json()
    assert token["username"] == "alice" and token["status"] == "active"
    assert token["expires_at"] and "last_used_at" in token
    assert token_of("alice") not in listed.text


def test_an_admin_lists_the_clinics_tokens_but_no_other_clinics(app: FastAPI) -> None:
    with as_api(app, "dana") as dana:
        names = {t["username"] for t in dana.get("/api/v1/tokens").json()}
    assert names == {"alice", "bob", "dana"}


def test_nobody_revokes_another_clinics_token(app: FastAPI, api: TestClient) -> None:
    [alices] = api.get("/api/v1/tokens").json()
    with as_api(app, "charlie") as charlie:
        assert charlie.delete(f"/api/v1/tokens/{alices['id']}").status_code == 404
    assert api.get("/api/v1/kb").status_code == 200


def test_a_clinician_may_not_revoke_a_colleagues_token(
    app: FastAPI, api: TestClient
) -> None:
    [alices] = api.get("/api/v1/tokens").json()
    with as_api(app, "bob") as bob:
        assert bob.delete(f"/api/v1/tokens/{alices['id']}").status_code == 403
    assert api.get("/api/v1/kb").status_code == 200


def test_a_revoked_token_is_refused_on_the_very_next_request(
    app: FastAPI, api: TestClient
) -> None:
    [alices] = api.get("/api/v1/tokens").json()
    with as_api(app, "dana") as dana:
        assert dana.delete(f"/api/v1/tokens/{alices['id']}").status_code == 204
    answer = api.get("/api/v1/kb")
    assert answer.status_code == 401 and answer.json()["ok"] is False
