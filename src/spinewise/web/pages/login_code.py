"""The second step of signing in: the code of an authenticator app (or a recovery code).

After a right password for a user with two-factor sign-in the browser holds no
session, only a short-lived signed pending value (``services.pending_signin``) in its
own cookie: nothing else is reachable until the code is right. A pending sign-in lasts
five minutes and at most five wrong codes; each wrong code counts as a failed sign-in
in the database throttle, and every failure gets the same message.
"""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from spinewise.services import (
    SigninPolicies,
    SigninRequest,
    finish_sign_in_web,
)
from spinewise.web.client import client_address
from spinewise.web.deps import StoreDep
from spinewise.web.rendering import page_translator, render
from spinewise.web.security import (
    cookie_name,
    session_cookie,
    set_session_cookie,
)
from spinewise.web.words import N_

router = APIRouter()
PENDING_COOKIE = "spinewise_pending"
PENDING_SECONDS = 300
HOME = "/"
_LOCAL_PATH = re.compile(r"^/(?![/\\])[\x21-\x7e]*$")
WRONG_CODE = N_(
    "That code is not right. Enter the current code from your app, "
    "or one of your recovery codes."
)


def signin_policies(request: Request) -> SigninPolicies:
    state = request.app.state
    return SigninPolicies(state.signin, state.sessions, state.secret, state.totp_key)


def signin_request(request: Request, username: str, password: str) -> SigninRequest:
    return SigninRequest(
        username=username,
        password=password,
        address=client_address(request),
        user_agent=request.headers.get("user-agent"),
        previous_session=session_cookie(request),
    )


def _production(request: Request) -> bool:
    return bool(request.app.state.settings.mode == "production")


def _set_pending(request: Request, response: Response, value: str) -> None:
    response.set_cookie(
        cookie_name(request, PENDING_COOKIE),
        value,
        max_age=PENDING_SECONDS,
        httponly=True,
        samesite="lax",
        secure=_production(request),
    )


def _clear_pending(request: Request, response: Response) -> None:
    response.delete_cookie(
        cookie_name(request, PENDING_COOKIE),
        httponly=True,
        samesite="lax",
        secure=_production(request),
    )


def _pending(request: Request) -> str | None:
    return request.cookies.get(cookie_name(request, PENDING_COOKIE))


def safe_next(target: str | None) -> str:
    """A local path to go to after signing in (anything else goes home)."""
    return target if target and _LOCAL_PATH.match(target) else HOME


def ask_for_code(request: Request, pending: str, target: str) -> RedirectResponse:
    """Keep the pending sign-in (and nothing else) and ask for the code."""
    response = RedirectResponse(
        "/login/code?" + urlencode({"next": target}), status_code=303
    )
    _set_pending(request, response, pending)
    return response


def _form(
    request: Request, target: str, error: str = "", status_code: int = 200
) -> Response:
    context = {"error": error, "next": target}
    return render(request, "login_code.html", context, status_code=status_code)


def _back_to_login(request: Request) -> Response:
    response = RedirectResponse("/login", status_code=303)
    _clear_pending(request, response)
    return response


@router.get("/login/code")
def code_form(request: Request, next: str = HOME) -> Response:
    if not _pending(request):
        return RedirectResponse("/login", status_code=303)
    return _form(request, safe_next(next))


@router.post("/login/code")
async def check_code(
    request: Request,
    store: StoreDep,
    code: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=2000)] = HOME,
) -> Response:
    """Signed in when the code is right; the fifth wrong code (or an old, used or
    forged pending value) sends the user back to the password."""
    pending = _pending(request)
    if not pending:
        return _back_to_login(request)
    target = safe_next(next)
    attempt = signin_request(request, "", "")
    outcome = await run_in_threadpool(
        finish_sign_in_web, store, pending, code, attempt, signin_policies(request)
    )
    if outcome.ended:
        return _back_to_login(request)
    if outcome.retry_after is not None:
        seconds = outcome.retry_after
        error = page_translator(request).ngettext(
            "Too many failed attempts. Try again in %(num)d second.",
            "Too many failed attempts. Try again in %(num)d seconds.",
            seconds,
        ) % {"num": seconds}
        response = _form(request, target, error, 429)
        response.headers["Retry-After"] = str(seconds)
        return response
    if outcome.session is None:
        return _form(request, target, WRONG_CODE, 401)
    response = RedirectResponse(target, status_code=303)
    _clear_pending(request, response)
    set_session_cookie(request, response, outcome.session.cookie)
    return response
