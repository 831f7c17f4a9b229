"""Signing in and out: a fresh server-side session at sign-in, its row gone at
sign-out; sign-in throttled per account and per client address in the database.
A user with two-factor sign-in goes on to the code step (``login_code``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from spinewise.services import end_web_session, sign_in_web
from spinewise.web.deps import OptionalPageUser, StoreDep
from spinewise.web.pages.login_code import (
    HOME,
    ask_for_code,
    safe_next,
    signin_policies,
    signin_request,
)
from spinewise.web.rendering import page_translator, render
from spinewise.web.security import (
    clear_session_cookie,
    session_cookie,
    set_session_cookie,
)
from spinewise.web.words import N_

router = APIRouter()
START_PAGES = {"admin": "/audit"}  # everyone else starts at the patient list
WRONG = N_("The username or the password is not right.")


@router.get("/")
def home(user: OptionalPageUser) -> RedirectResponse:
    """The start page of the signed-in role (the login page for nobody)."""
    if user is None:
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse(START_PAGES.get(user.role, "/patients"), status_code=303)


@router.get("/login")
def login_form(request: Request, user: OptionalPageUser, next: str = HOME) -> Response:
    if user is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "login.html", _context(safe_next(next)))


def _context(next_path: str, username: str = "", error: str = "") -> dict[str, str]:
    return {"next": next_path, "username": username, "error": error}


@router.post("/login")
async def login(
    request: Request,
    store: StoreDep,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    next: Annotated[str, Form(max_length=2000)] = HOME,
) -> Response:
    """Check the credentials (throttled); success starts a new session, or (for a
    user with two-factor sign-in) the code step."""
    target = safe_next(next)
    attempt = signin_request(request, username, password)
    outcome = await run_in_threadpool(
        sign_in_web, store, attempt, signin_policies(request)
    )
    if outcome.retry_after is not None:
        seconds = outcome.retry_after
        error = page_translator(request).ngettext(
            "Too many failed attempts. Try again in %(num)d second.",
            "Too many failed attempts. Try again in %(num)d seconds.",
            seconds,
        ) % {"num": seconds}
        return render(
            request,
            "login.html",
            _context(target, username, error),
            status_code=429,
            headers={"Retry-After": str(seconds)},
        )
    if outcome.pending is not None:
        return ask_for_code(request, outcome.pending, target)
    if outcome.session is None:
        return render(
            request, "login.html", _context(target, username, WRONG), status_code=401
        )
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(request, response, outcome.session.cookie)
    return response


@router.post("/logout")
async def logout(request: Request, store: StoreDep) -> RedirectResponse:
    """Sign out: the session's row goes, so a copy of the cookie is refused too."""
    cookie = session_cookie(request)
    if cookie:
        await run_in_threadpool(end_web_session, store, cookie)
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookie(request, response)
    return response
