"""User administration for a clinic's administrators: the list, adding a user (with a
temporary password shown once), changing a role, deactivating and reactivating,
resetting a password or two-factor sign-in.

The services hold the rules (administrators only, own clinic only, never the last
active administrator demoted or deactivated) and audit every change.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from spinewise.errors import ConflictError, InputError
from spinewise.services import (
    Role,
    UserRecord,
    add_user,
    change_role,
    end_user_sessions,
    get_user,
    list_users,
    reset_password,
    reset_two_factor,
    set_user_active,
)
from spinewise.web.deps import PageActor, RecordId, StoreDep
from spinewise.web.pages.forms import FormErrors, FormValues, form_errors
from spinewise.web.rendering import render
from spinewise.web.words import N_

router = APIRouter()

NEW_USER = {"username": N_("Username"), "display_name": N_("Name"), "role": N_("Role")}
ROLE_FORM = {"role": N_("Role"), "user_id": N_("User")}
ROLES = [Role.THERAPIST.value, Role.PHYSICIAN.value, Role.ADMIN.value]  # least first
DONE = {
    "role": N_("The role is changed."),
    "active": N_("The user can sign in again."),
    "inactive": N_("The user is deactivated and can no longer sign in."),
    "two-factor": N_("Two-factor sign-in is off for this user."),
    "signed-out": N_("This user is signed out everywhere."),
}


def _list(
    request: Request,
    users: list[UserRecord],
    values: FormValues,
    errors: FormErrors,
    status_code: int = 200,
) -> Response:
    context = {"users": users, "values": values, "errors": errors, "roles": ROLES}
    return render(request, "users.html", context, status_code=status_code)


@router.get("/users")
def users(request: Request, store: StoreDep, actor: PageActor) -> Response:
    return _list(
        request, list_users(store, actor), FormValues(), FormErrors(labels=NEW_USER)
    )


@router.post("/users")
async def add(request: Request, store: StoreDep, actor: PageActor) -> Response:
    values = FormValues.of(await request.form(), NEW_USER)
    try:
        user, password = await run_in_threadpool(
            lambda: add_user(
                store,
                actor,
                username=values.value("username"),
                display_name=values.value("display_name"),
                role=values.value("role"),
            )
        )
    except (InputError, ConflictError) as error:
        errors = form_errors(error, NEW_USER)
        status = 422 if isinstance(error, InputError) else 409
        return _list(request, list_users(store, actor), values, errors, status)
    context = {"shown_user": user, "password": password, "new": True}
    return render(request, "user_password.html", context)


def _user_page(
    request: Request,
    user: UserRecord,
    *,
    done: str = "",
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> Response:
    context: dict[str, Any] = {
        "shown_user": user,
        "roles": ROLES,
        "done": DONE.get(done, ""),
        "errors": errors or FormErrors(labels=ROLE_FORM),
    }
    return render(request, "user.html", context, status_code=status_code)


@router.get("/users/{user_id}")
def user_page(
    request: Request,
    store: StoreDep,
    actor: PageActor,
    user_id: RecordId,
    done: str = "",
) -> Response:
    return _user_page(request, get_user(store, actor, user_id), done=done)


def _refused(
    request: Request,
    store: StoreDep,
    actor: PageActor,
    user_id: int,
    error: InputError | ConflictError,
) -> Response:
    """The user's page again, with why the change was refused."""
    errors = form_errors(error, ROLE_FORM)
    status = 422 if isinstance(error, InputError) else 409
    user = get_user(store, actor, user_id)
    return _user_page(request, user, errors=errors, status_code=status)


@router.post("/users/{user_id}/role")
async def new_role(
    request: Request, store: StoreDep, actor: PageActor, user_id: RecordId
) -> Response:
    role = (await request.form()).get("role")
    if not isinstance(role, str) or role not in ROLES:
        errors = FormErrors(
            {"role": [f"must be one of {', '.join(ROLES)}"]}, [], ROLE_FORM
        )
        user = get_user(store, actor, user_id)
        return _user_page(request, user, errors=errors, status_code=422)
    try:
        await run_in_threadpool(change_role, store, actor, user_id, role)
    except (InputError, ConflictError) as error:
        return _refused(request, store, actor, user_id, error)
    return RedirectResponse(f"/users/{user_id}?done=role", status_code=303)


@router.post("/users/{user_id}/active")
async def activity(
    request: Request, store: StoreDep, actor: PageActor, user_id: RecordId
) -> Response:
    active = (await request.form()).get("active") == "yes"
    try:
        await run_in_threadpool(set_user_active, store, actor, user_id, active)
    except (InputError, ConflictError) as error:
        return _refused(request, store, actor, user_id, error)
    done = "active" if active else "inactive"
    return RedirectResponse(f"/users/{user_id}?done={done}", status_code=303)


@router.post("/users/{user_id}/password")
def reset(
    request: Request, store: StoreDep, actor: PageActor, user_id: RecordId
) -> Response:
    try:
        password = reset_password(store, actor, user_id)
    except (InputError, ConflictError) as error:
        return _refused(request, store, actor, user_id, error)
    user = get_user(store, actor, user_id)
    context = {"shown_user": user, "password": password, "new": False}
    return render(request, "user_password.html", context)


@router.post("/users/{user_id}/two-factor")
def reset_second_factor(
    store: StoreDep, actor: PageActor, user_id: RecordId
) -> Response:
    reset_two_factor(store, actor, user_id)
    return RedirectResponse(f"/users/{user_id}?done=two-factor", status_code=303)


@router.post("/users/{user_id}/sign-out")
async def sign_out_everywhere(
    store: StoreDep, actor: PageActor, user_id: RecordId
) -> Response:
    """End every session of the user (audited); they must sign in again."""
    await run_in_threadpool(end_user_sessions, store, actor, user_id)
    return RedirectResponse(f"/users/{user_id}?done=signed-out", status_code=303)
