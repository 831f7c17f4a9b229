"""The pending step of a two-factor sign-in: a password was right, a code must follow.

The user is NOT signed in yet: the browser holds only a short-lived value signed with
the instance secret (user id, when, a random nonce), no session. It lasts
``MAX_AGE`` and ends after ``MAX_TRIES`` wrong codes, counted in the database's
sign-in throttle (``signin_failures``) since the pending step began, so a copy of
the value gains nothing; once used to sign in, its nonce is claimed in
``used_nonces`` and it cannot be used again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from spinewise.services.access.nonces import claim_once
from spinewise.services.access.throttle import account_key
from spinewise.store import SigninFailures, Store, UsedNonces, utc_now

MAX_AGE = dt.timedelta(minutes=5)
MAX_TRIES = 5
NONCE_KIND = "pending-signin"
MAX_VALUE = 200


@dataclass(frozen=True)
class PendingSignin:
    """A checked pending sign-in: whose, since when, and its one-time nonce."""

    user_id: int
    username: str
    started: dt.datetime
    nonce: str


def _mac(secret: str, body: str) -> str:
    message = b"pending-signin|" + body.encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def start_pending(secret: str, user_id: int, *, now: dt.datetime | None = None) -> str:
    """The value the browser keeps between the password and the code."""
    started = int((now or utc_now()).timestamp())
    body = f"{user_id}.{started}.{secrets.token_urlsafe(16)}"
    return f"{body}.{_mac(secret, body)}"


def _parse(secret: str, value: str) -> tuple[int, dt.datetime, str] | None:
    if not value or len(value) > MAX_VALUE or value.count(".") != 3:
        return None
    body, mac = value.rsplit(".", 1)
    if not hmac.compare_digest(mac, _mac(secret, body)):
        return None
    user_id, started, nonce = body.split(".")
    if not user_id.isdigit() or not started.isdigit():
        return None
    return int(user_id), dt.datetime.fromtimestamp(int(started), dt.UTC), nonce


def open_pending(
    store: Store, secret: str, value: str, *, now: dt.datetime | None = None
) -> PendingSignin | None:
    """The pending sign-in behind ``value``: None when forged, too old, used, its
    user gone or inactive, or after ``MAX_TRIES`` wrong codes."""
    now = now or utc_now()
    parsed = _parse(secret, value)
    if parsed is None:
        return None
    user_id, started, nonce = parsed
    if not started <= now < started + MAX_AGE:
        return None
    with store.unit_of_work() as uow:
        row = uow.users.get(user_id)
        if row is None or not row.active or not row.totp_enabled:
            return None
        if UsedNonces(uow.session).is_used(NONCE_KIND, nonce, now):
            return None
        misses = SigninFailures(uow.session).of_username(
            account_key(row.username), started
        )
        if len(misses) >= MAX_TRIES:
            return None
        return PendingSignin(user_id, row.username, started, nonce)


def close_pending(store: Store, pending: PendingSignin) -> bool:
    """Use the pending sign-in up (False: it was used already, e.g. by a race)."""
    return claim_once(store, NONCE_KIND, pending.nonce, pending.started + MAX_AGE)
