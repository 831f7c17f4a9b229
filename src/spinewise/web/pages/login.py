"""Signing in and out, with login throttling per username and client address."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from spinewise.web.deps import AuthenticatorDep, OptionalPageUser, ThrottleDep
from spinewise.web.pages.login_code import ask_for_code, first_step
from spinewise.web.rendering import render
from spinewise.web.security import end_session, start_session
from spinewise.web.throttle import LoginThrottle

router = APIRouter()
HOME = "/"
START_PAGES = {"admin": "/audit"}  # everyone else starts at the patient list
_LOCAL_PATH = re.compile(r"^/(?![/\\])[\x21-\x7e]*$")
WRONG = "The username or the password is not right."


def safe_next(target: str | None) -> str:
    """A local path to go to after signing in (anything else goes home)."""
    return target if target and _LOCAL_PATH.match(target) else HOME


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
def login(
    request: Request,
    authenticator: AuthenticatorDep,
    throttle: ThrottleDep,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    next: Annotated[str, Form(max_length=2000)] = HOME,
) -> Response:
    """Check the credentials; too many failures lock the pair out for a while."""
    target = safe_next(next)
    key = LoginThrottle.key(username, request.client.host if request.client else None)
    wait = throttle.retry_after(key)
    if wait is not None:
        seconds = max(1, round(wait))
        error = f"Too many failed attempts. Try again in {seconds} seconds."
        return render(
            request,
            "login.html",
            _context(target, username, error),
            status_code=429,
            headers={"Retry-After": str(seconds)},
        )
    identity, code_needed_for = first_step(authenticator, username.strip(), password)
    if code_needed_for is not None:
        return ask_for_code(request, code_needed_for, username.strip(), target)
    if identity is None:
        throttle.record_failure(key)
        return render(
            request, "login.html", _context(target, username, WRONG), status_code=401
        )
    throttle.reset(key)
    start_session(request, identity.user_id)
    return RedirectResponse(target, status_code=303)


@router.post("/logout")
def logout(request: Request) -> RedirectResponse:
    end_session(request)
    return RedirectResponse("/login", status_code=303)
