"""Server-side web sessions: the browser holds a random id, the database the rest.

A session ends when it has been unused for ``SessionPolicy.idle``, when
``SessionPolicy.absolute`` has passed since sign-in, when its user signs out, and
for every session of a user when they are deactivated, their password changes or
they (or their admin) sign out everywhere: ``end_user_sessions_in(uow, user_id)``
inside a unit of work, ``end_user_sessions(store, actor, user_id)`` as an action.
The database keeps only the SHA-256 of the id; the CSRF token lives in the row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from spinewise.config import Settings
from spinewise.errors import N_, NotFoundError
from spinewise.services.access.actors import ADMINS, Actor, Interface, actor_of, require
from spinewise.services.audit import Action, log
from spinewise.services.unit import unit
from spinewise.store import Store, UnitOfWork, WebSessions, utc_now

# The last-seen time (and so the idle expiry) is written at most this often (or a
# quarter of the idle timeout, when that is shorter).
SEEN_PRECISION = dt.timedelta(seconds=30)
MAX_COOKIE = 100


@dataclass(frozen=True)
class SessionPolicy:
    """How long a web session lives: unused (``idle``) and at most (``absolute``)."""

    idle: dt.timedelta = dt.timedelta(minutes=30)
    absolute: dt.timedelta = dt.timedelta(hours=12)

    @classmethod
    def of(cls, settings: Settings) -> SessionPolicy:
        return cls(
            idle=dt.timedelta(minutes=settings.session_idle_minutes),
            absolute=dt.timedelta(hours=settings.session_absolute_hours),
        )


@dataclass(frozen=True)
class StartedSession:
    """A new session: ``cookie`` goes to the browser (and nowhere else)."""

    cookie: str
    csrf_token: str
    expires_at: dt.datetime


@dataclass(frozen=True)
class ActiveSession:
    """A live session and the user acting through it."""

    id: int
    actor: Actor
    csrf_token: str


class WebSessionRecord(BaseModel):
    """A signed-in session as its user sees it on "Your sessions"."""

    model_config = ConfigDict(frozen=True)

    id: int
    created_at: dt.datetime
    last_seen_at: dt.datetime
    expires_at: dt.datetime
    client_address: str | None
    user_agent: str | None


def _digest(cookie: str) -> str:
    return hashlib.sha256(cookie.encode("utf-8")).hexdigest()


def start_web_session(
    store: Store,
    actor: Actor,
    policy: SessionPolicy,
    *,
    address: str | None,
    user_agent: str | None,
    replacing: str | None = None,
    now: dt.datetime | None = None,
) -> StartedSession:
    """A fresh session for a user who just signed in; the session the browser held
    before (``replacing``) ends, so an id planted before sign-in is worth nothing."""
    now = utc_now()
    cookie = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    with store.unit_of_work(write=True) as uow:
        sessions = WebSessions(uow.session)
        if replacing:
            old = sessions.by_hash(_digest(replacing[:MAX_COOKIE]))
            if old is not None:
                sessions.delete(old.id)
        sessions.delete_expired(now)
        row = sessions.add(
            id_hash=_digest(cookie),
            user_id=actor.user_id,
            csrf_token=csrf,
            created_at=now,
            last_seen_at=now,
            idle_expires_at=min(now + policy.idle, now + policy.absolute),
            expires_at=now + policy.absolute,
            client_address=None if address is None else address[:64],
            user_agent=None if user_agent is None else user_agent[:255],
        )
        return StartedSession(cookie, csrf, row.expires_at)


def resume_web_session(
    store: Store,
    cookie: str,
    policy: SessionPolicy,
    *,
    now: dt.datetime | None = None,
) -> ActiveSession | None:
    """The live session behind a cookie (its user active), else None."""
    if not cookie or len(cookie) > MAX_COOKIE:
        return None
    now = now or utc_now()
    with store.unit_of_work() as uow:
        row = WebSessions(uow.session).by_hash(_digest(cookie))
        if row is None or row.expires_at <= now or row.idle_expires_at <= now:
            return None
        user = uow.users.get(row.user_id)
        if user is None or not user.active:
            return None
        found = ActiveSession(row.id, actor_of(user, Interface.WEB), row.csrf_token)
        seen = row.last_seen_at
        expires = row.expires_at
    if now - seen >= min(SEEN_PRECISION, policy.idle / 4):
        with store.unit_of_work(write=True) as uow:
            WebSessions(uow.session).seen(
                found.id, now, min(now + policy.idle, expires)
            )
    return found


def end_web_session(store: Store, cookie: str) -> None:
    """Sign out: the session's row goes, so the cookie is refused from now on."""
    if not cookie or len(cookie) > MAX_COOKIE:
        return
    with store.unit_of_work(write=True) as uow:
        sessions = WebSessions(uow.session)
        row = sessions.by_hash(_digest(cookie))
        if row is not None:
            sessions.delete(row.id)


def end_user_sessions_in(uow: UnitOfWork, user_id: int, keep: int | None = None) -> int:
    """End every web session of a user (but ``keep``) inside the caller's unit of
    work: for deactivation and password changes. The number ended."""
    return WebSessions(uow.session).delete_of_user(user_id, keep)


def end_user_sessions(
    store: Store, actor: Actor, user_id: int | None = None, *, keep: int | None = None
) -> int:
    """Sign a user out everywhere: the actor themself (``user_id`` None), or, for
    an administrator, a user of the clinic. ``keep`` spares one session (the one
    the request came in). The number of sessions ended; audited."""
    target = actor.user_id if user_id is None else user_id
    with unit(store, actor) as uow:
        if target != actor.user_id:
            require(actor, ADMINS, N_("sign other users out"))
        row = uow.users.get(target)
        if row is None or row.clinic_id != actor.clinic_id:
            raise NotFoundError(N_("user"), target)
        ended = end_user_sessions_in(uow, target, keep)
        log(
            uow,
            actor,
            Action.CHANGE,
            "web_session",
            detail={"user": target, "ended": ended},
        )
        return ended


def list_web_sessions(store: Store, actor: Actor) -> list[WebSessionRecord]:
    """The actor's live sessions, the most recently used first."""
    with unit(store, actor) as uow:
        rows = WebSessions(uow.session).of_user(actor.user_id, utc_now())
        return [
            WebSessionRecord(
                id=row.id,
                created_at=row.created_at,
                last_seen_at=row.last_seen_at,
                expires_at=min(row.expires_at, row.idle_expires_at),
                client_address=row.client_address,
                user_agent=row.user_agent,
            )
            for row in rows
        ]


def end_own_session(store: Store, actor: Actor, session_id: int) -> None:
    """Sign out one of the actor's own sessions (another's is not found)."""
    with unit(store, actor) as uow:
        sessions = WebSessions(uow.session)
        row = sessions.get(session_id)
        if row is None or row.user_id != actor.user_id:
            raise NotFoundError(N_("session"), session_id)
        sessions.delete(session_id)
        log(uow, actor, Action.CHANGE, "web_session", session_id, detail={"ended": 1})
