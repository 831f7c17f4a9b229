"""The account commands: the password policy, temporary passwords, resets, roles,
reactivation and signing in with a second factor."""

from __future__ import annotations

import time
from pathlib import Path

import pyotp
import pytest
from typer.testing import CliRunner, Result

from spinewise import services
from spinewise.cli import app
from spinewise.config import Settings
from spinewise.services import open_store

runner = CliRunner()
BOSS = "head of this practice"


@pytest.fixture
def url(tmp_path: Path) -> str:
    """A clinic "Solo" with its administrator ``boss`` and a therapist ``tess``."""
    url = f"sqlite:///{tmp_path / 'accounts.sqlite3'}"
    env = {"SPINEWISE_DATABASE_URL": url, "SPINEWISE_NEW_PASSWORD": BOSS}
    done = runner.invoke(app, ["clinic", "create", "Solo", "--admin", "boss"], env=env)
    assert done.exit_code == 0, done.stderr
    tess = as_user(
        url,
        "boss",
        "users",
        "add",
        "tess",
        "--role",
        "therapist",
        "--name",
        "Tess",
        SPINEWISE_NEW_PASSWORD="temporary for her 1",
    )
    assert tess.exit_code == 0, tess.stderr
    changed = as_user(
        url,
        "tess",
        "users",
        "password",
        password="temporary for her 1",
        SPINEWISE_NEW_PASSWORD="she picked this one",
    )
    assert changed.exit_code == 0, changed.stderr
    return url


def as_user(url: str, user: str, *args: str, password: str = "", **env: str) -> Result:
    passwords = {"boss": BOSS, "tess": "she picked this one"}
    base = {
        "SPINEWISE_DATABASE_URL": url,
        "SPINEWISE_USER": user,
        "SPINEWISE_PASSWORD": password or passwords.get(user, ""),
    }
    return runner.invoke(app, list(args), env={**base, **env})


@pytest.mark.parametrize(
    ("password", "says"),
    [
        ("too short", "password: must be at least 12 characters"),
        ("Iloveyou2026!", "password: is one of the most common passwords"),
        ("newbie-and-tess", "password: must not be or contain the username"),
    ],
)
def test_weak_passwords_are_refused_with_exit_2_naming_the_field(
    url: str, password: str, says: str
) -> None:
    result = as_user(
        url,
        "boss",
        "users",
        "add",
        "newbie",
        "--role",
        "therapist",
        "--name",
        "N",
        SPINEWISE_NEW_PASSWORD=password,
    )
    assert result.exit_code == 2
    assert says in result.stderr and password not in result.stderr
    changed = as_user(url, "tess", "users", "password", SPINEWISE_NEW_PASSWORD=password)
    assert changed.exit_code == 2 and "new_password: " in changed.stderr


def test_a_reset_prints_a_temporary_password_that_must_be_changed(url: str) -> None:
    listed = as_user(url, "boss", "users", "list").stdout
    tess_id = next(line.split()[0] for line in listed.splitlines() if "tess" in line)
    reset = as_user(url, "boss", "users", "reset", tess_id)
    assert reset.exit_code == 0, reset.stderr
    temporary = reset.stdout.strip().splitlines()[-1]
    old = as_user(url, "tess", "patients", "list")
    assert old.exit_code == 2 and "cannot sign in" in old.stderr
    first = as_user(url, "tess", "patients", "list", password=temporary)
    assert first.exit_code == 2 and "temporary password" in first.stderr
    assert "yes" in as_user(url, "boss", "users", "list").stdout


def test_roles_change_and_the_last_admin_stays(url: str) -> None:
    listed = as_user(url, "boss", "users", "list").stdout
    ids = {line.split()[1]: line.split()[0] for line in listed.splitlines()[1:]}
    demoted = as_user(url, "boss", "users", "role", ids["boss"], "therapist")
    assert demoted.exit_code == 2
    assert "last active administrator" in demoted.stderr
    promoted = as_user(url, "boss", "users", "role", ids["tess"], "admin")
    assert promoted.exit_code == 0 and "is now admin" in promoted.stdout
    off = as_user(url, "tess", "users", "deactivate", ids["boss"])
    assert off.exit_code == 0, off.stderr
    assert as_user(url, "boss", "users", "list").exit_code == 2
    on = as_user(url, "tess", "users", "reactivate", ids["boss"])
    assert on.exit_code == 0 and "reactivated" in on.stdout
    assert as_user(url, "boss", "users", "list").exit_code == 0


def test_a_user_with_two_factor_signs_in_with_a_code(url: str) -> None:
    store = open_store(url)
    try:
        tess = services.authenticate(
            store, "tess", "she picked this one", services.Interface.CLI
        )
        assert tess is not None
        key = services.totp_key(store, Settings(database_url=url))
        secret = services.start_enrolment(store, tess, key).secret
        services.confirm_enrolment(store, tess, pyotp.TOTP(secret).now(), key)
    finally:
        store.dispose()
    without = as_user(url, "tess", "patients", "list", SPINEWISE_OTP="000000")
    assert without.exit_code == 2 and "wrong password or code" in without.stderr
    code = pyotp.TOTP(secret).at(time.time() + 30)
    listed = as_user(url, "tess", "patients", "list", SPINEWISE_OTP=code)
    assert listed.exit_code == 0, listed.stderr
