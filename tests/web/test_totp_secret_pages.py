"""Two-factor secrets encrypted at rest, seen through the web app: enrolment stores no
plain secret, the app encrypts old plain secrets when it starts, and under another
key the code step refuses with a message that says why (in the user's language)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pyotp
import pytest
from fastapi.testclient import TestClient
from tests.services.access.test_totp_seeds import stored_secret, write_secret
from tests.web.clinic import CLIENT_OPTIONS, Clinic
from tests.web.test_pages_account import enrol_through_the_pages, log_in, post_form

from spinewise import services
from spinewise.config import Settings
from spinewise.web import create_app


def served_with(clinic: Clinic, **settings: str) -> Clinic:
    """The same clinic and database, served by an app with other settings."""
    app = create_app(
        Settings(database_url="sqlite://", **settings), kb=clinic.kb, store=clinic.store
    )
    return Clinic(app, clinic.store, clinic.world, clinic.kb)


@pytest.fixture
def other_key(clinic: Clinic) -> Iterator[Clinic]:
    served = served_with(clinic, totp_key="another operator's key, 32 chars long")
    yield served
    served.close()


def test_a_secret_enrolled_through_the_pages_is_stored_encrypted(
    clinic: Clinic,
) -> None:
    secret, _ = enrol_through_the_pages(clinic.as_page("physician_a"))
    stored = stored_secret(clinic.store, clinic.actor("physician_a").user_id)
    assert stored.startswith("v1:") and secret not in stored


def test_the_app_encrypts_plain_secrets_when_it_starts(clinic: Clinic) -> None:
    secret, _ = enrol_through_the_pages(clinic.as_page("physician_a"))
    user_id = clinic.actor("physician_a").user_id
    write_secret(clinic.store, user_id, secret)  # as an older version stored it
    restarted = served_with(clinic)
    stored = stored_secret(clinic.store, user_id)
    assert stored.startswith("v1:") and secret not in stored
    client = restarted.anonymous()
    assert log_in(client, "physician-a").headers["location"].startswith("/login/code")
    code = pyotp.TOTP(secret).at(time.time() + 30)
    assert post_form(client, "/login/code", "/login/code", code=code).status_code == 303
    restarted.close()


@pytest.mark.parametrize(
    ("language", "says"),
    [
        ("en", "your secret cannot be read with this server&#39;s key"),
        ("ru", "ваш секрет не читается ключом этого сервера"),
    ],
)
def test_under_another_key_the_code_step_refuses_and_says_why(
    clinic: Clinic, other_key: Clinic, language: str, says: str
) -> None:
    secret, _ = enrol_through_the_pages(clinic.as_page("physician_a"))
    client = TestClient(
        other_key.app, headers={"Accept-Language": language}, **CLIENT_OPTIONS
    )
    with client:
        assert log_in(client, "physician-a").status_code == 303
        code = pyotp.TOTP(secret).at(time.time() + 30)
        refused = post_form(client, "/login/code", "/login/code", code=code)
        assert refused.status_code == 409
        assert says in refused.text
        assert client.get("/patients", follow_redirects=False).status_code == 303
    failed = services.list_audit(
        clinic.store,
        clinic.actor("admin_a"),
        services.AuditFilter(action=services.Action.LOGIN_FAILED),
    )
    assert [e.detail for e in failed] == [
        {"second_factor": "unreadable", "problem": "wrong_key"}
    ]
