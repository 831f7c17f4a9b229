"""The session cookie and CSRF protection for the pages.

The session cookie holds only a random id (HttpOnly, SameSite=Lax, Secure in
production); the session itself is a database row (``services.websessions``) with
its user, times, client and its synchronizer CSRF token. Every unsafe request to a
page must send that token back, as the hidden ``csrf_token`` form field or the
``X-CSRF-Token`` header. Before sign-in (the login form, a patient's questionnaire)
there is no session row: the token is an HMAC, under the instance secret, of a random
pre-session cookie, so anonymous visitors cost the database nothing. The JSON API
authenticates with bearer tokens, never with a cookie, and so needs no CSRF token.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from spinewise.services import ActiveSession, resume_web_session

SESSION_COOKIE = "spinewise_session"
PRESESSION_COOKIE = "spinewise_presession"
# In production the cookies carry the ``__Host-`` prefix: the browser then accepts
# them only Secure, for the whole site and from this host (no sibling domain).
HOST_PREFIX = "__Host-"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
_UNRESOLVED = object()


class CsrfError(Exception):
    """An unsafe page request without the session's CSRF token."""


def _production(request: Request) -> bool:
    return bool(request.app.state.settings.mode == "production")


def cookie_name(request: Request, name: str) -> str:
    """``name`` as this app sets it (``__Host-`` prefixed in production)."""
    return HOST_PREFIX + name if _production(request) else name


def session_cookie(request: Request) -> str | None:
    """The session id the browser sent, if any."""
    return request.cookies.get(cookie_name(request, SESSION_COOKIE))


def _presession_cookie(request: Request) -> str | None:
    return request.cookies.get(cookie_name(request, PRESESSION_COOKIE))


def session_of(request: Request) -> ActiveSession | None:
    """The live server-side session of the request's cookie (looked up once per
    request; a database read, so call it from a worker thread)."""
    found = getattr(request.state, "web_session", _UNRESOLVED)
    if found is _UNRESOLVED:
        cookie = session_cookie(request)
        state = request.app.state
        found = (
            resume_web_session(state.store, cookie, state.sessions) if cookie else None
        )
        request.state.web_session = found
    return found if isinstance(found, ActiveSession) else None


def _presession_token(request: Request, value: str) -> str:
    secret: str = request.app.state.secret
    mac = hmac.new(secret.encode(), b"csrf|" + value.encode(), hashlib.sha256)
    return mac.hexdigest()


def _presession(request: Request) -> str:
    value = _presession_cookie(request) or getattr(
        request.state, "new_presession", None
    )
    if not value or len(value) > 100:
        value = secrets.token_urlsafe(32)
        request.state.new_presession = value
    return value


def csrf_token(request: Request) -> str:
    """The token the request's forms must send back: the session's, or before
    sign-in the pre-session one (its cookie set by ``remember_presession``)."""
    session = session_of(request)
    if session is not None:
        return session.csrf_token
    return _presession_token(request, _presession(request))


def remember_presession(request: Request, response: Response) -> None:
    """Set the pre-session cookie when ``csrf_token`` made a new one."""
    value = getattr(request.state, "new_presession", None)
    if value and not _presession_cookie(request):
        response.set_cookie(
            cookie_name(request, PRESESSION_COOKIE),
            value,
            httponly=True,
            samesite="lax",
            secure=_production(request),
        )


def set_session_cookie(request: Request, response: Response, cookie: str) -> None:
    policy = request.app.state.sessions
    response.set_cookie(
        cookie_name(request, SESSION_COOKIE),
        cookie,
        max_age=int(policy.absolute.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=_production(request),
    )


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(
        cookie_name(request, SESSION_COOKIE),
        httponly=True,
        samesite="lax",
        secure=_production(request),
    )


async def supplied_csrf_token(request: Request) -> str | None:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    if request.headers.get("content-type", "").startswith(_FORM_TYPES):
        value = (await request.form()).get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


def expected_csrf_token(request: Request) -> str | None:
    """The token an unsafe request must carry (None: it cannot carry a valid one)."""
    session = session_of(request)
    if session is not None:
        return session.csrf_token
    value = _presession_cookie(request)
    if not value or len(value) > 100:
        return None
    return _presession_token(request, value)


async def verify_csrf(request: Request) -> None:
    """Dependency of every page router: refuse an unsafe request without the token."""
    if request.method in SAFE_METHODS:
        return
    expected = await run_in_threadpool(expected_csrf_token, request)
    supplied = await supplied_csrf_token(request)
    if not (
        expected
        and supplied
        and secrets.compare_digest(expected.encode(), supplied.encode())
    ):
        raise CsrfError
