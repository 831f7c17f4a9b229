"""The signed-in user's own account: change the password, turn two-factor sign-in on
(QR code and secret, then recovery codes shown once) or off, new recovery codes.

These pages stay reachable for a user who must first change a temporary password or
turn on two-factor sign-in (``SetupPageUser``); every other page sends them here.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from spinewise.errors import ConflictError, FieldProblem, InputError
from spinewise.services import (
    MIN_LENGTH,
    change_password,
    confirm_enrolment,
    disable_two_factor,
    new_recovery_codes,
    pending_enrolment,
    start_enrolment,
    two_factor_enabled,
    two_factor_required,
)
from spinewise.web.deps import SettingsDep, SetupPageUser, StoreDep, actor_of
from spinewise.web.pages.forms import FormErrors, FormValues, form_errors
from spinewise.web.rendering import render
from spinewise.web.security import start_session

router = APIRouter()

PASSWORD_FORM = {
    "current_password": "Current password",
    "new_password": "New password",
    "new_password_again": "New password again",
}
CODE_FORM = {"code": "Code from the app"}
CONFIRM_FORM = {"password": "Your password"}
DONE = {
    "password": "Your password is changed.",
    "two-factor-off": "Two-factor sign-in is off.",
}


@router.get("/account")
def account(
    request: Request,
    store: StoreDep,
    user: SetupPageUser,
    settings: SettingsDep,
    done: str = "",
) -> Response:
    enabled, codes_left = two_factor_enabled(store, actor_of(user))
    context = {
        "enabled": enabled,
        "codes_left": codes_left,
        "required": two_factor_required(
            user.role, production=settings.mode == "production"
        ),
        "done": DONE.get(done, ""),
        "errors": FormErrors(labels=CONFIRM_FORM),
    }
    return render(request, "account.html", context)


def _password_form(
    request: Request, user: SetupPageUser, errors: FormErrors, status_code: int = 200
) -> Response:
    temporary = bool(getattr(user, "must_change_password", False))
    context = {"errors": errors, "temporary": temporary, "min_length": MIN_LENGTH}
    return render(request, "account_password.html", context, status_code=status_code)


@router.get("/account/password")
def password_form(request: Request, user: SetupPageUser) -> Response:
    return _password_form(request, user, FormErrors(labels=PASSWORD_FORM))


@router.post("/account/password")
async def change_own_password(
    request: Request, store: StoreDep, user: SetupPageUser
) -> Response:
    """A new password; the user's other sessions end and this one starts afresh."""
    form = await request.form()
    raw = {
        name: value if isinstance(value := form.get(name), str) else ""
        for name in PASSWORD_FORM
    }
    try:
        if raw["new_password"] != raw["new_password_again"]:
            raise InputError(
                [FieldProblem("new_password_again", "is not the same as the new one")]
            )
        await run_in_threadpool(
            change_password,
            store,
            actor_of(user),
            raw["current_password"],
            raw["new_password"],
        )
    except (InputError, ConflictError) as error:
        errors = form_errors(error, PASSWORD_FORM)
        return _password_form(request, user, errors, status_code=422)
    start_session(request, user.user_id)
    return RedirectResponse("/account?done=password", status_code=303)


@router.get("/account/two-factor")
def two_factor_page(
    request: Request, store: StoreDep, user: SetupPageUser, settings: SettingsDep
) -> Response:
    actor = actor_of(user)
    enabled, _ = two_factor_enabled(store, actor)
    if enabled:
        return RedirectResponse("/account", status_code=303)
    context = {
        "enrolment": pending_enrolment(store, actor),
        "required": two_factor_required(
            user.role, production=settings.mode == "production"
        ),
        "errors": FormErrors(labels=CODE_FORM),
    }
    return render(request, "two_factor.html", context)


@router.post("/account/two-factor/start")
def start(store: StoreDep, user: SetupPageUser) -> Response:
    try:
        start_enrolment(store, actor_of(user))
    except ConflictError:
        return RedirectResponse("/account", status_code=303)
    return RedirectResponse("/account/two-factor", status_code=303)


@router.post("/account/two-factor/confirm")
async def confirm(
    request: Request, store: StoreDep, user: SetupPageUser, settings: SettingsDep
) -> Response:
    actor = actor_of(user)
    values = FormValues.of(await request.form(), CODE_FORM)
    try:
        codes = await run_in_threadpool(
            confirm_enrolment, store, actor, values.value("code")
        )
    except (InputError, ConflictError) as error:
        context = {
            "enrolment": pending_enrolment(store, actor),
            "required": two_factor_required(
                user.role, production=settings.mode == "production"
            ),
            "errors": form_errors(error, CODE_FORM),
        }
        return render(request, "two_factor.html", context, status_code=422)
    return render(request, "recovery_codes.html", {"codes": codes, "first": True})


async def _confirmed(request: Request) -> str:
    value = (await request.form()).get("password")
    return value if isinstance(value, str) else ""


@router.post("/account/two-factor/codes")
async def renew_codes(
    request: Request, store: StoreDep, user: SetupPageUser
) -> Response:
    password = await _confirmed(request)
    try:
        codes = await run_in_threadpool(
            new_recovery_codes, store, actor_of(user), password
        )
    except (InputError, ConflictError) as error:
        return _account_error(request, store, user, error)
    return render(request, "recovery_codes.html", {"codes": codes, "first": False})


@router.post("/account/two-factor/disable")
async def disable(
    request: Request, store: StoreDep, user: SetupPageUser, settings: SettingsDep
) -> Response:
    password = await _confirmed(request)
    try:
        await run_in_threadpool(
            lambda: disable_two_factor(
                store,
                actor_of(user),
                password,
                production=settings.mode == "production",
            )
        )
    except (InputError, ConflictError) as error:
        return _account_error(request, store, user, error)
    return RedirectResponse("/account?done=two-factor-off", status_code=303)


def _account_error(
    request: Request,
    store: StoreDep,
    user: SetupPageUser,
    error: InputError | ConflictError,
) -> Response:
    enabled, codes_left = two_factor_enabled(store, actor_of(user))
    settings = request.app.state.settings
    context = {
        "enabled": enabled,
        "codes_left": codes_left,
        "required": two_factor_required(
            user.role, production=settings.mode == "production"
        ),
        "done": "",
        "errors": form_errors(error, CONFIRM_FORM),
    }
    return render(request, "account.html", context, status_code=422)
