"""Session cookie and CSRF protection for the pages.

The session is a signed (itsdangerous), HttpOnly, SameSite=Lax cookie, Secure in
production. It holds the user id and a synchronizer CSRF token; every unsafe request
to a page must send that token back, as the hidden ``csrf_token`` form field or the
``X-CSRF-Token`` header. The JSON API authenticates with bearer tokens, never with
the cookie, and so needs no CSRF token.
"""

from __future__ import annotations

import secrets

from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request

from spinewise.config import Settings

SESSION_COOKIE = "spinewise_session"
SESSION_MAX_AGE = 8 * 60 * 60  # a working day; then sign in again
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class CsrfError(Exception):
    """An unsafe page request without the session's CSRF token."""


def session_middleware(settings: Settings) -> Middleware:
    """The signed session cookie, Secure whenever the app runs in production."""
    return Middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE,
        same_site="lax",
        https_only=settings.mode == "production",
    )


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get("csrf")
    if not isinstance(token, str) or len(token) < 32:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def start_session(request: Request, user_id: str) -> None:
    """A fresh session for a user who just signed in (new CSRF token, no old data)."""
    request.session.clear()
    request.session["uid"] = user_id
    request.session["csrf"] = secrets.token_urlsafe(32)


def end_session(request: Request) -> None:
    request.session.clear()


async def supplied_csrf_token(request: Request) -> str | None:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    if request.headers.get("content-type", "").startswith(_FORM_TYPES):
        value = (await request.form()).get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


async def verify_csrf(request: Request) -> None:
    """Dependency of every page router: refuse an unsafe request without the token."""
    if request.method in SAFE_METHODS:
        return
    expected = request.session.get("csrf")
    supplied = await supplied_csrf_token(request)
    if not (
        isinstance(expected, str)
        and supplied
        and secrets.compare_digest(expected.encode(), supplied.encode())
    ):
        raise CsrfError
