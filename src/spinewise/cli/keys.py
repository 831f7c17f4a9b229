"""``spinewise keys status | encrypt-totp``: the key the two-factor (TOTP) secrets are
encrypted with (operator; no user signs in: it needs the database and the keys).

The old key of a rotation is read from ``SPINEWISE_OLD_TOTP_KEY`` or one line of
standard input (``--old-key-stdin``), never from an argument (the process list and
the shell history would keep it).
"""

from __future__ import annotations

import os
import sys

import typer

from spinewise.cli.ids import JsonFlag
from spinewise.cli.output import fail, report
from spinewise.cli.signin import database, reported
from spinewise.cli.words import _
from spinewise.services import (
    SeedKey,
    TotpSecrets,
    encrypt_totp_secrets,
    totp_key,
    totp_secrets_status,
)

OLD_KEY_VARIABLE = "SPINEWISE_OLD_TOTP_KEY"

keys_app = typer.Typer(
    help="Encryption keys: the two-factor secrets (operator).", no_args_is_help=True
)


def _report(status: TotpSecrets, as_json: bool) -> None:
    document = {
        "key_id": status.key_id,
        "current": status.current,
        "plain": status.plain,
        "other_key": status.other_key,
        "encrypted_now": status.encrypted_now,
    }
    says = _(
        "two-factor secrets: {current} encrypted with key {key_id}, {plain} in plain "
        "text, {other} under another key ({now} encrypted now)"
    ).format(
        current=status.current,
        key_id=status.key_id,
        plain=status.plain,
        other=status.other_key,
        now=status.encrypted_now,
    )
    report(as_json, document, says)


def _old_key(from_stdin: bool) -> str | None:
    if from_stdin:
        line = sys.stdin.readline().strip()
        if not line:
            fail(_("--old-key-stdin: standard input held no key"))
        return line
    return os.environ.get(OLD_KEY_VARIABLE) or None


@keys_app.command("status")
def status_command(as_json: JsonFlag = False) -> None:
    """Count the two-factor secrets encrypted with the key in force, still in plain
    text, and under another key; exit 1 unless all are under the key in force."""
    with database() as (settings, store), reported():
        status = totp_secrets_status(store, totp_key(store, settings))
    _report(status, as_json)
    if status.plain or status.other_key:
        raise typer.Exit(1)


@keys_app.command("encrypt-totp")
def encrypt_totp_command(
    old_key_stdin: bool = typer.Option(
        False,
        "--old-key-stdin",
        help="read the old key from one line of standard input "
        f"(else from {OLD_KEY_VARIABLE})",
    ),
    as_json: JsonFlag = False,
) -> None:
    """Encrypt every two-factor secret with the key in force (SPINEWISE_TOTP_KEY,
    else SPINEWISE_SECRET_KEY): plain ones, and ones under the old key. All or none,
    in one transaction, audited; safe to run again."""
    old = _old_key(old_key_stdin)
    with database() as (settings, store), reported():
        old_keys = () if old is None else (SeedKey.derive(old),)
        status = encrypt_totp_secrets(store, totp_key(store, settings), old_keys)
    _report(status, as_json)


def register(app: typer.Typer) -> None:
    app.add_typer(keys_app, name="keys")
