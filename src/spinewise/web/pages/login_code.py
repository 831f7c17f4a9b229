"""The second step of signing in: the code of an authenticator app (or a recovery code).

After a right password for a user with two-factor sign-in, the session holds only a
pending sign-in (user id, username, when, where to go next), not the user: nothing
else is reachable until the code is right. A pending sign-in lasts five minutes and
``MAX_TRIES`` wrong codes; each wrong code also counts as a failed sign-in in the
login throttle, and every failure gets the same message.
"""

from __future__ import annotations

import time
from typing import Annotated, Any, Protocol, runtime_checkable

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from spinewise.web.auth import Authenticator, Identity
from spinewise.web.deps import AuthenticatorDep, ThrottleDep
from spinewise.web.rendering import render
from spinewise.web.security import start_session
from spinewise.web.throttle import LoginThrottle

router = APIRouter()
PENDING = "pending_sign_in"
MAX_TRIES = 5
MAX_AGE_SECONDS = 300
WRONG_CODE = "That code is not right. Enter the current code from your app, or one of your recovery codes."


@runtime_checkable
class TwoStepAuthenticator(Protocol):
    """An authenticator that knows second factors (``services.StoreAuthenticator``)."""

    def password_step(self, username: str, password: str) -> Any: ...

    def verify_code(self, user_id: str, code: str) -> Identity | None: ...


def first_step(
    authenticator: Authenticator, username: str, password: str
) -> tuple[Identity | None, str | None]:
    """The signed-in user, or the id of a user who must give a code next."""
    if isinstance(authenticator, TwoStepAuthenticator):
        step = authenticator.password_step(username, password)
        return step.user, step.code_needed_for
    return authenticator.verify_password(username, password), None


def ask_for_code(
    request: Request, user_id: str, username: str, target: str
) -> RedirectResponse:
    """Remember the pending sign-in (and nothing else) and ask for the code."""
    request.session.clear()
    request.session[PENDING] = {
        "uid": user_id,
        "username": username[:200],
        "at": int(time.time()),
        "next": target,
        "tries": 0,
    }
    return RedirectResponse("/login/code", status_code=303)


def _pending(request: Request) -> dict[str, Any] | None:
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict) or not isinstance(pending.get("uid"), str):
        return None
    if int(pending.get("at", 0)) + MAX_AGE_SECONDS < time.time():
        request.session.pop(PENDING, None)
        return None
    return pending


def _form(request: Request, error: str = "", status_code: int = 200) -> Response:
    return render(request, "login_code.html", {"error": error}, status_code=status_code)


@router.get("/login/code")
def code_form(request: Request) -> Response:
    if _pending(request) is None:
        return RedirectResponse("/login", status_code=303)
    return _form(request)


@router.post("/login/code")
def check_code(
    request: Request,
    authenticator: AuthenticatorDep,
    throttle: ThrottleDep,
    code: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    pending = _pending(request)
    if pending is None or not isinstance(authenticator, TwoStepAuthenticator):
        return RedirectResponse("/login", status_code=303)
    host = request.client.host if request.client else None
    key = LoginThrottle.key(str(pending.get("username", "")), host)
    wait = throttle.retry_after(key)
    if wait is not None:
        seconds = max(1, round(wait))
        error = f"Too many failed attempts. Try again in {seconds} seconds."
        headers = {"Retry-After": str(seconds)}
        response = _form(request, error, 429)
        response.headers.update(headers)
        return response
    identity = authenticator.verify_code(pending["uid"], code.strip())
    if identity is None:
        throttle.record_failure(key)
        tries = int(pending.get("tries", 0)) + 1
        if tries >= MAX_TRIES:
            request.session.pop(PENDING, None)
            return RedirectResponse("/login", status_code=303)
        request.session[PENDING] = {**pending, "tries": tries}
        return _form(request, WRONG_CODE, 401)
    throttle.reset(key)
    target = str(pending.get("next", "/"))
    start_session(request, identity.user_id)
    return RedirectResponse(target, status_code=303)
