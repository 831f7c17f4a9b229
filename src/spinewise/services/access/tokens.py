"""API tokens: checking one on each request, and listing them.

Only a token's SHA-256 is stored. ``verify_api_token`` reads the database on every
call, so a revoked or expired token is refused on the very next request, whichever
server process answers it. ``TokenCache`` keeps that promise without a read per
request where the database has a change counter (SQLite): a verified token is
remembered with the counter, and everything is forgotten when any connection of any
process commits (a revocation, a deactivation, a role change are commits). Issuing and revoking live in
``services.accounts`` (``issue_api_token``, ``revoke_api_token``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from typing import Literal

from pydantic import BaseModel, ConfigDict

from spinewise.services.access.actors import ADMINS, Actor, Interface, Role
from spinewise.services.audit import Action, log
from spinewise.services.unit import unit
from spinewise.store import (
    ApiTokenRow,
    Store,
    TokenReader,
    change_counter,
    utc_now,
)

TOKEN_PREFIX = "sw_"
# The last-use time is written at most this often per token (not on every request).
LAST_USE_PRECISION = dt.timedelta(minutes=1)


class _LastUses:
    """The last-use writes this process has under way or just made, by the token's
    hash (unique to the token, whichever database it is in): the requests that find
    a token's last use due at the same moment (c32 with one token) write it once,
    instead of each taking the write lock for it."""

    SIZE = 4096

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._claimed: dict[str, dt.datetime] = {}

    def claim(self, key: str, now: dt.datetime) -> bool:
        """True when this caller is to write the last use (no other did within
        ``LAST_USE_PRECISION``)."""
        with self._lock:
            at = self._claimed.get(key)
            if at is not None and at > now - LAST_USE_PRECISION:
                return False
            if len(self._claimed) >= self.SIZE:
                self._claimed.clear()
            self._claimed[key] = now
            return True

    def release(self, key: str) -> None:
        """The claimed write failed: the next request writes it."""
        with self._lock:
            self._claimed.pop(key, None)


_LAST_USES = _LastUses()


def token_hash(token: str) -> str:
    """What is stored of a token: its SHA-256, in hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiTokenRecord(BaseModel):
    """An API token as its owner or the clinic's admin sees it (never the token)."""

    model_config = ConfigDict(frozen=True)

    id: int
    user_id: int
    username: str
    label: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None
    status: Literal["active", "expired", "revoked"]


def _status(
    row: ApiTokenRow, now: dt.datetime
) -> Literal["active", "expired", "revoked"]:
    return _status_of(row.revoked_at, row.expires_at, now)


def _status_of(
    revoked_at: dt.datetime | None, expires_at: dt.datetime | None, now: dt.datetime
) -> Literal["active", "expired", "revoked"]:
    if revoked_at is not None:
        return "revoked"
    if expires_at is not None and expires_at <= now:
        return "expired"
    return "active"


def verify_api_token(
    store: Store, token: str, interface: Interface = Interface.API
) -> Actor | None:
    """The actor a valid, unexpired, unrevoked token of an active user stands for.

    A user whose password an administrator has reset (``must_change_password``) is
    treated as possibly compromised: their tokens answer nothing until they have
    signed in and chosen a new password."""
    reader = TokenReader(store)
    try:
        verified = _verify(store, reader, token, interface)
    finally:
        reader.close()
    return None if verified is None else verified[0]


def _verify(
    store: Store, reader: TokenReader, token: str, interface: Interface
) -> tuple[Actor, dt.datetime] | None:
    """The token's actor, and until when that answer holds if nothing is committed
    meanwhile (its expiry, and the next time its last use is to be written).

    One read of the token with its user (``TokenReader``: one statement, on
    PostgreSQL one round trip); a write only when the last use is due again."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    now = utc_now()
    key = token_hash(token)
    found = reader.by_hash(key)
    if found is None or _status_of(found.revoked_at, found.expires_at, now) != "active":
        return None
    if not found.active or found.must_change_password:
        return None
    actor = Actor(
        found.user_id,
        found.clinic_id,
        Role(found.role),
        found.username,
        interface,
        display_name=found.display_name,
        language=found.language,
    )
    last = found.last_used_at
    stale = last is None or last < now - LAST_USE_PRECISION
    until = (now if stale or last is None else last) + LAST_USE_PRECISION
    if found.expires_at is not None:
        until = min(until, found.expires_at)
    if stale and _LAST_USES.claim(key, now):
        try:
            with store.unit_of_work(write=True) as uow:
                uow.api_tokens.used(found.token_id, now)
        except BaseException:
            _LAST_USES.release(key)
            raise
    return actor, until


class TokenCache:
    """Verified API tokens of one server process, exact across processes.

    ``known(token)`` answers from memory only while the database's change counter
    has not moved since the token was verified, and only until the token expires or
    its last use is due to be written again; otherwise it answers None (ask
    ``verify``). Without a counter (PostgreSQL) nothing is remembered: every request
    reads the token, in one round trip (``TokenReader``).
    """

    SIZE = 1024

    def __init__(self, store: Store, interface: Interface = Interface.API) -> None:
        self._store = store
        self._reader = TokenReader(store)
        self._interface = interface
        self._counter = change_counter(store)
        self._version: int | None = None
        self._entries: dict[str, tuple[Actor, dt.datetime, int]] = {}
        self._lock = threading.Lock()

    def version(self) -> int | None:
        """The database's change number now (None: no counter)."""
        return None if self._counter is None else self._counter()

    def known(self, token: str) -> Actor | None:
        """The remembered actor of ``token`` if that is still exactly what a fresh
        read would say; None when unknown (not: invalid)."""
        if self._counter is None or not self._entries:
            return None
        entry = self._entries.get(token_hash(token))
        if entry is None:
            return None
        actor, until, version = entry
        if version != self._counter() or utc_now() >= until:
            return None
        return actor

    def verify(self, token: str, version: int | None) -> Actor | None:
        """``verify_api_token``; a valid token is remembered with ``version``, the
        change number read before this verification began."""
        verified = _verify(self._store, self._reader, token, self._interface)
        if verified is None:
            return None
        actor, until = verified
        if version is not None:
            with self._lock:
                if len(self._entries) >= self.SIZE:
                    self._entries.clear()
                self._entries[token_hash(token)] = (actor, until, version)
        return actor

    def close(self) -> None:
        """Close the connections kept for reading tokens (at shutdown)."""
        self._reader.close()


def list_api_tokens(store: Store, actor: Actor) -> list[ApiTokenRecord]:
    """The actor's own tokens; for an administrator, every token of the clinic."""
    now = utc_now()
    with unit(store, actor) as uow:
        if actor.role in ADMINS:
            users = {u.id: u.username for u in uow.users.of_clinic(actor.clinic_id)}
        else:
            users = {actor.user_id: actor.username}
        rows = uow.api_tokens.of_users(users)
        log(uow, actor, Action.READ, "api_token", detail={"count": len(rows)})
        return [
            ApiTokenRecord(
                id=row.id,
                user_id=row.user_id,
                username=users[row.user_id],
                label=row.label,
                created_at=row.created_at,
                expires_at=row.expires_at,
                last_used_at=row.last_used_at,
                revoked_at=row.revoked_at,
                status=_status(row, now),
            )
            for row in rows
        ]
