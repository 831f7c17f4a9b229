"""API tokens: checking one on each request, and listing them.

Only a token's SHA-256 is stored. ``verify_api_token`` reads the database on every
call (no cache), so a revoked or expired token is refused on the very next request,
whichever server process answers it. Issuing and revoking live in
``services.accounts`` (``issue_api_token``, ``revoke_api_token``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Literal

from pydantic import BaseModel, ConfigDict

from spinewise.services.access.actors import ADMINS, Actor, Interface, actor_of
from spinewise.services.audit import Action, log
from spinewise.services.unit import unit
from spinewise.store import ApiTokenRow, Store, utc_now

TOKEN_PREFIX = "sw_"
# The last-use time is written at most this often per token (not on every request).
LAST_USE_PRECISION = dt.timedelta(minutes=1)


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
    if row.revoked_at is not None:
        return "revoked"
    if row.expires_at is not None and row.expires_at <= now:
        return "expired"
    return "active"


def verify_api_token(
    store: Store, token: str, interface: Interface = Interface.API
) -> Actor | None:
    """The actor a valid, unexpired, unrevoked token of an active user stands for.

    A user whose password an administrator has reset (``must_change_password``) is
    treated as possibly compromised: their tokens answer nothing until they have
    signed in and chosen a new password."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    now = utc_now()
    with store.unit_of_work() as uow:
        row = uow.api_tokens.by_hash(token_hash(token))
        if row is None or _status(row, now) != "active":
            return None
        user = uow.users.get(row.user_id)
        if user is None or not user.active or user.must_change_password:
            return None
        actor = actor_of(user, interface)
        stale = row.last_used_at is None or row.last_used_at < now - LAST_USE_PRECISION
        token_id = row.id
    if stale:
        with store.unit_of_work(write=True) as uow:
            uow.api_tokens.used(token_id, now)
    return actor


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
