"""Signing in to the web app: throttle, password, a fresh server-side session.

``sign_in_web`` is the login form's whole decision; the page only shows the
outcome. Its messages never say which of username and password was wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

from spinewise.services.accounts import authenticate
from spinewise.services.actors import Actor, Interface
from spinewise.services.throttle import (
    SigninPolicy,
    clear_signin_failures,
    record_signin_failure,
    signin_wait,
)
from spinewise.services.websessions import (
    SessionPolicy,
    StartedSession,
    start_web_session,
)
from spinewise.store import Store


@dataclass(frozen=True)
class SigninOutcome:
    """Signed in (``actor`` and ``session``), refused, or told to wait."""

    actor: Actor | None = None
    session: StartedSession | None = None
    retry_after: int | None = None


@dataclass(frozen=True)
class SigninRequest:
    username: str
    password: str
    address: str | None
    user_agent: str | None
    previous_session: str | None = None


def sign_in_web(
    store: Store,
    request: SigninRequest,
    throttle: SigninPolicy,
    sessions: SessionPolicy,
) -> SigninOutcome:
    """Check the throttle, then the password; on success a new session (the one the
    browser held before ends: no fixation)."""
    username = request.username.strip()
    wait = signin_wait(store, username, request.address, throttle)
    if wait is not None:
        return SigninOutcome(retry_after=wait)
    actor = authenticate(store, username, request.password, Interface.WEB)
    if actor is None:
        record_signin_failure(store, username, request.address, throttle)
        return SigninOutcome()
    clear_signin_failures(store, username)
    session = start_web_session(
        store,
        actor,
        sessions,
        address=request.address,
        user_agent=request.user_agent,
        replacing=request.previous_session,
    )
    return SigninOutcome(actor=actor, session=session)
