"""Signing in to the web app: throttle, password, the second factor, a fresh
server-side session.

``sign_in_web`` is the login form's whole decision and ``finish_sign_in_web`` the
code form's; the pages only show the outcome. A user with two-factor sign-in is not
signed in by the password: the outcome carries only a ``pending`` value
(``services.pending_signin``) and no session until the code is right. Every wrong
password or code counts in the database throttle; the messages never say which of
username, password and code was wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

from spinewise.services.access.actors import Actor, Interface
from spinewise.services.access.credentials import complete_sign_in, sign_in
from spinewise.services.access.pending_signin import (
    close_pending,
    open_pending,
    start_pending,
)
from spinewise.services.access.throttle import (
    SigninPolicy,
    clear_signin_failures,
    record_signin_failure,
    signin_wait,
)
from spinewise.services.access.totp_seeds import SeedKey
from spinewise.services.access.websessions import (
    SessionPolicy,
    StartedSession,
    start_web_session,
)
from spinewise.store import Store


@dataclass(frozen=True)
class SigninOutcome:
    """Signed in (``actor`` and ``session``), a code needed (``pending``), refused,
    told to wait (``retry_after``), or (at the code step) the pending sign-in over
    (``ended``)."""

    actor: Actor | None = None
    session: StartedSession | None = None
    retry_after: int | None = None
    pending: str | None = None
    ended: bool = False


@dataclass(frozen=True)
class SigninRequest:
    username: str
    password: str
    address: str | None
    user_agent: str | None
    previous_session: str | None = None


@dataclass(frozen=True)
class SigninPolicies:
    """What a sign-in needs besides the store: the throttle, the session lifetimes,
    the instance secret that signs the pending step and the key that opens the
    TOTP secrets."""

    throttle: SigninPolicy
    sessions: SessionPolicy
    secret: str
    totp_key: SeedKey


def _signed_in(
    store: Store, actor: Actor, request: SigninRequest, policies: SigninPolicies
) -> SigninOutcome:
    clear_signin_failures(store, actor.username)
    session = start_web_session(
        store,
        actor,
        policies.sessions,
        address=request.address,
        user_agent=request.user_agent,
        replacing=request.previous_session,
    )
    return SigninOutcome(actor=actor, session=session)


def sign_in_web(
    store: Store, request: SigninRequest, policies: SigninPolicies
) -> SigninOutcome:
    """Check the throttle, then the password; on success a new session (the one the
    browser held before ends: no fixation), or a pending step for the code."""
    username = request.username.strip()
    wait = signin_wait(store, username, request.address, policies.throttle)
    if wait is not None:
        return SigninOutcome(retry_after=wait)
    step = sign_in(store, username, request.password, Interface.WEB)
    if step.code_needed_for is not None:
        return SigninOutcome(
            pending=start_pending(policies.secret, step.code_needed_for)
        )
    if step.actor is None:
        record_signin_failure(store, username, request.address, policies.throttle)
        return SigninOutcome()
    return _signed_in(store, step.actor, request, policies)


def finish_sign_in_web(
    store: Store,
    pending: str,
    code: str,
    request: SigninRequest,
    policies: SigninPolicies,
) -> SigninOutcome:
    """The code step: signed in when ``code`` is right for the pending sign-in; a
    wrong code counts as a failed sign-in, and the ``MAX_TRIES``-th ends it."""
    found = open_pending(store, policies.secret, pending)
    if found is None:
        return SigninOutcome(ended=True)
    wait = signin_wait(store, found.username, request.address, policies.throttle)
    if wait is not None:
        return SigninOutcome(retry_after=wait)
    actor = complete_sign_in(
        store, found.user_id, code.strip(), Interface.WEB, key=policies.totp_key
    )
    if actor is None:
        record_signin_failure(store, found.username, request.address, policies.throttle)
        if open_pending(store, policies.secret, pending) is None:
            close_pending(store, found)
            return SigninOutcome(ended=True)
        return SigninOutcome(pending=pending)
    if not close_pending(store, found):
        return SigninOutcome(ended=True)
    return _signed_in(store, actor, request, policies)
