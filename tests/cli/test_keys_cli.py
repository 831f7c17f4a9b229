"""``spinewise keys status | encrypt-totp``: counting and re-encrypting the two-factor
secrets; the old key comes from the environment or standard input, never an argument."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pyotp
import pytest
from typer.testing import CliRunner, Result

from spinewise import services
from spinewise.cli import app
from spinewise.config import Settings
from spinewise.services import Interface, open_store

runner = CliRunner()
PASSWORD = "head of this practice"
KEY_A = "first operator TOTP key, 32 characters or more"
KEY_B = "second operator TOTP key, 32 characters or more"


@dataclass(frozen=True)
class Clinic:
    url: str
    secret: str  # the administrator's TOTP secret, as their app holds it

    def code(self) -> str:
        return pyotp.TOTP(self.secret).at(time.time() + 30)


@pytest.fixture
def clinic(tmp_path: Path) -> Clinic:
    """A clinic whose administrator ``boss`` has two-factor sign-in, enrolled under
    the development key (the database's own secret)."""
    url = f"sqlite:///{tmp_path / 'keys.sqlite3'}"
    store = open_store(url)
    try:
        services.ensure_schema(store, create_if_empty=True)
        services.create_clinic(
            store, name="Solo", admin_username="boss", admin_password=PASSWORD
        )
        boss = services.authenticate(store, "boss", PASSWORD, Interface.CLI)
        assert boss is not None
        key = services.totp_key(store, Settings(database_url=url))
        secret = services.start_enrolment(store, boss, key).secret
        services.confirm_enrolment(store, boss, pyotp.TOTP(secret).now(), key)
    finally:
        store.dispose()
    return Clinic(url, secret)


def keys(url: str, *args: str, stdin: str | None = None, **env: str) -> Result:
    return runner.invoke(
        app, ["keys", *args], env={"SPINEWISE_DATABASE_URL": url, **env}, input=stdin
    )


def test_status_exits_1_until_every_secret_is_under_the_key_in_force(
    clinic: Clinic,
) -> None:
    url = clinic.url
    now = keys(url, "status")
    assert now.exit_code == 0, now.stderr
    assert "1 encrypted with key" in now.stdout
    moved = keys(url, "status", "--json", SPINEWISE_TOTP_KEY=KEY_A)
    assert moved.exit_code == 1
    assert '"other_key": 1' in moved.stdout


def test_a_key_change_re_encrypts_with_the_old_key_from_stdin_or_the_environment(
    clinic: Clinic,
) -> None:
    url = clinic.url
    first = keys(url, "encrypt-totp", SPINEWISE_TOTP_KEY=KEY_A)  # from development
    assert first.exit_code == 0, first.stderr
    assert "(1 encrypted now)" in first.stdout
    refused = keys(url, "encrypt-totp", SPINEWISE_TOTP_KEY=KEY_B)
    assert refused.exit_code == 2
    assert "nothing was changed" in refused.stderr and "Traceback" not in refused.stderr
    empty = keys(
        url, "encrypt-totp", "--old-key-stdin", stdin="\n", SPINEWISE_TOTP_KEY=KEY_B
    )
    assert empty.exit_code == 2 and "--old-key-stdin" in empty.stderr
    rotated = keys(
        url,
        "encrypt-totp",
        "--old-key-stdin",
        stdin=KEY_A + "\n",
        SPINEWISE_TOTP_KEY=KEY_B,
    )
    assert rotated.exit_code == 0, rotated.stderr
    again = keys(
        url, "encrypt-totp", SPINEWISE_TOTP_KEY=KEY_B, SPINEWISE_OLD_TOTP_KEY=KEY_A
    )
    assert again.exit_code == 0 and "(0 encrypted now)" in again.stdout
    code = clinic.code()
    env = {
        "SPINEWISE_DATABASE_URL": url,
        "SPINEWISE_USER": "boss",
        "SPINEWISE_PASSWORD": PASSWORD,
        "SPINEWISE_OTP": code,
        "SPINEWISE_TOTP_KEY": KEY_B,
    }
    signed_in = runner.invoke(app, ["users", "list"], env=env)
    assert signed_in.exit_code == 0, signed_in.stderr


def test_a_cli_sign_in_under_the_wrong_key_says_so_without_a_traceback(
    clinic: Clinic,
) -> None:
    url = clinic.url
    code = clinic.code()
    env = {
        "SPINEWISE_DATABASE_URL": url,
        "SPINEWISE_USER": "boss",
        "SPINEWISE_PASSWORD": PASSWORD,
        "SPINEWISE_OTP": code,
        "SPINEWISE_TOTP_KEY": KEY_A,
    }
    refused = runner.invoke(app, ["users", "list"], env=env)
    assert refused.exit_code == 2
    assert "cannot be read with this server's key" in refused.stderr
    assert "Traceback" not in refused.stderr
