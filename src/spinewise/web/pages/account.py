"""The signed-in user's account: one area with "Your sessions" (sign out one, or
everywhere), "API tokens" (an admin sees and revokes the clinic's), the password
(changing it ends every other session; this browser gets a fresh one) and
two-factor sign-in (QR code and secret, then recovery codes shown once; off; new
recovery codes).

The password and two-factor pages stay reachable for a user who must first change a
temporary password or turn on two-factor sign-in (``SetupPageActor``); every other
page sends them here.
"""

from __future__ import annotations

from typing import cast

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from spinewise.errors import ConflictError, FieldProblem, InputError
from spinewise.services import (
    MIN_LENGTH,
    Actor,
    SeedKey,
    change_password,
    confirm_enrolment,
    disable_two_factor,
    end_own_session,
    end_user_sessions,
    list_api_tokens,
    list_web_sessions,
    must_change_password,
    new_recovery_codes,
    pending_enrolment,
    revoke_api_token,
    start_enrolment,
    start_web_session,
    two_factor_enabled,
    two_factor_required,
)
from spinewise.web.client import client_address
from spinewise.web.deps import (
    PageActor,
    RecordId,
    SessionPolicyDep,
    SettingsDep,
    SetupPageActor,
    StoreDep,
)
from spinewise.web.pages.forms import FormErrors, FormValues, form_errors
from spinewise.web.pages.language import LANGUAGE_NAMES
from spinewise.web.rendering import render
from spinewise.web.security import (
    clear_session_cookie,
    session_cookie,
    session_of,
    set_session_cookie,
)
from spinewise.web.words import N_

router = APIRouter()
SESSIONS = "/account/sessions"
TOKENS = "/account/tokens"


@router.get(SESSIONS)
def sessions_page(
    request: Request, store: StoreDep, actor: PageActor, policy: SessionPolicyDep
) -> Response:
    current = session_of(request)
    return render(
        request,
        "account_sessions.html",
        {
            "sessions": list_web_sessions(store, actor),
            "current_id": None if current is None else current.id,
            "idle_minutes": int(policy.idle.total_seconds() // 60),
            "absolute_hours": int(policy.absolute.total_seconds() // 3600),
        },
    )


@router.post(SESSIONS + "/{session_id}/end")
async def end_session(
    request: Request, session_id: RecordId, store: StoreDep, actor: PageActor
) -> Response:
    """Sign out one session (this one too: then the browser is signed out)."""
    current = session_of(request)
    await run_in_threadpool(end_own_session, store, actor, session_id)
    if current is not None and current.id == session_id:
        response = RedirectResponse("/login", status_code=303)
        clear_session_cookie(request, response)
        return response
    return RedirectResponse(SESSIONS, status_code=303)


@router.post(SESSIONS + "/end-all")
async def end_everywhere(
    request: Request, store: StoreDep, actor: PageActor
) -> Response:
    """Sign out everywhere, this browser included."""
    await run_in_threadpool(end_user_sessions, store, actor)
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookie(request, response)
    return response


@router.get(TOKENS)
def tokens_page(request: Request, store: StoreDep, actor: PageActor) -> Response:
    return render(
        request, "account_tokens.html", {"tokens": list_api_tokens(store, actor)}
    )


@router.post(TOKENS + "/{token_id}/revoke")
async def revoke_token(
    token_id: RecordId, store: StoreDep, actor: PageActor
) -> Response:
    await run_in_threadpool(revoke_api_token, store, actor, token_id)
    return RedirectResponse(TOKENS, status_code=303)


PASSWORD_FORM = {
    "current_password": N_("Current password"),
    "new_password": N_("New password"),
    "new_password_again": N_("New password again"),
}
CODE_FORM = {"code": N_("Code from the app")}
CONFIRM_FORM = {"password": N_("Your password")}
DONE = {
    "password": N_("Your password is changed."),
    "two-factor-off": N_("Two-factor sign-in is off."),
    "language": N_("The language of your pages is saved."),
}


@router.get("/account")
def account(
    request: Request,
    store: StoreDep,
    user: SetupPageActor,
    settings: SettingsDep,
    done: str = "",
) -> Response:
    enabled, codes_left = two_factor_enabled(store, user)
    context = {
        "enabled": enabled,
        "codes_left": codes_left,
        "required": two_factor_required(
            user.role, production=settings.mode == "production"
        ),
        "done": DONE.get(done, ""),
        "errors": FormErrors(labels=CONFIRM_FORM),
        "language_names": LANGUAGE_NAMES,
    }
    return render(request, "account.html", context)


def _password_form(
    request: Request, user: SetupPageActor, errors: FormErrors, status_code: int = 200
) -> Response:
    temporary = must_change_password(request.app.state.store, user.user_id)
    context = {"errors": errors, "temporary": temporary, "min_length": MIN_LENGTH}
    return render(request, "account_password.html", context, status_code=status_code)


@router.get("/account/password")
def password_form(request: Request, user: SetupPageActor) -> Response:
    return _password_form(request, user, FormErrors(labels=PASSWORD_FORM))


@router.post("/account/password")
async def change_own_password(
    request: Request, store: StoreDep, user: SetupPageActor, policy: SessionPolicyDep
) -> Response:
    """A new password; every session of the user ends and this browser gets a new
    one (a stolen session id, or the old one, is worth nothing afterwards)."""
    form = await request.form()
    raw = {
        name: value if isinstance(value := form.get(name), str) else ""
        for name in PASSWORD_FORM
    }
    try:
        if raw["new_password"] != raw["new_password_again"]:
            raise InputError(
                [
                    FieldProblem(
                        "new_password_again", N_("is not the same as the new one")
                    )
                ]
            )
        await run_in_threadpool(
            change_password,
            store,
            user,
            raw["current_password"],
            raw["new_password"],
        )
    except (InputError, ConflictError) as error:
        errors = form_errors(error, PASSWORD_FORM)
        return _password_form(request, user, errors, status_code=422)
    response = RedirectResponse("/account?done=password", status_code=303)
    await _fresh_session(request, response, store, user, policy)
    return response


async def _fresh_session(
    request: Request,
    response: Response,
    store: StoreDep,
    actor: Actor,
    policy: SessionPolicyDep,
) -> None:
    started = await run_in_threadpool(
        lambda: start_web_session(
            store,
            actor,
            policy,
            address=client_address(request),
            user_agent=request.headers.get("user-agent"),
            replacing=session_cookie(request),
        )
    )
    set_session_cookie(request, response, started.cookie)


def _totp_key(request: Request) -> SeedKey:
    """The key the TOTP secrets are encrypted with (made by ``create_app``)."""
    return cast(SeedKey, request.app.state.totp_key)


@router.get("/account/two-factor")
def two_factor_page(
    request: Request, store: StoreDep, user: SetupPageActor, settings: SettingsDep
) -> Response:
    actor = user
    enabled, _ = two_factor_enabled(store, actor)
    if enabled:
        return RedirectResponse("/account", status_code=303)
    context = {
        "enrolment": pending_enrolment(store, actor, _totp_key(request)),
        "required": two_factor_required(
            user.role, production=settings.mode == "production"
        ),
        "errors": FormErrors(labels=CODE_FORM),
    }
    return render(request, "two_factor.html", context)


@router.post("/account/two-factor/start")
def start(request: Request, store: StoreDep, user: SetupPageActor) -> Response:
    try:
        start_enrolment(store, user, _totp_key(request))
    except ConflictError:
        return RedirectResponse("/account", status_code=303)
    return RedirectResponse("/account/two-factor", status_code=303)


@router.post("/account/two-factor/confirm")
async def confirm(
    request: Request, store: StoreDep, user: SetupPageActor, settings: SettingsDep
) -> Response:
    actor = user
    values = FormValues.of(await request.form(), CODE_FORM)
    try:
        codes = await run_in_threadpool(
            confirm_enrolment, store, actor, values.value("code"), _totp_key(request)
        )
    except (InputError, ConflictError) as error:
        context = {
            "enrolment": pending_enrolment(store, actor, _totp_key(request)),
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
    request: Request, store: StoreDep, user: SetupPageActor
) -> Response:
    password = await _confirmed(request)
    try:
        codes = await run_in_threadpool(new_recovery_codes, store, user, password)
    except (InputError, ConflictError) as error:
        return _account_error(request, store, user, error)
    return render(request, "recovery_codes.html", {"codes": codes, "first": False})


@router.post("/account/two-factor/disable")
async def disable(
    request: Request, store: StoreDep, user: SetupPageActor, settings: SettingsDep
) -> Response:
    password = await _confirmed(request)
    try:
        await run_in_threadpool(
            lambda: disable_two_factor(
                store,
                user,
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
    user: SetupPageActor,
    error: InputError | ConflictError,
) -> Response:
    enabled, codes_left = two_factor_enabled(store, user)
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
