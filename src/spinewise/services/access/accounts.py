"""Clinics, users, signing in and API tokens (stored as SHA-256 hashes).

``create_clinic`` is the operator's bootstrap (no actor: whoever holds the database URL
holds the data); everything else acts as an ``Actor``. Passwords follow the policy of
``services.passwords`` (Argon2id hashes). Signing in is ``sign_in`` (password, and the
second factor when the user has one), ``complete_sign_in`` (the web's second step) or
``authenticate`` (both at once); API clients use ``verify_api_token``.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from spinewise.errors import N_, ConflictError, NotFoundError
from spinewise.models import parse_model
from spinewise.services.access.actors import (
    ADMINS,
    Actor,
    Interface,
    Role,
    require,
)
from spinewise.services.access.credentials import sign_in
from spinewise.services.access.passwords import hash_password, password_problem
from spinewise.services.access.signout import user_sessions_must_end
from spinewise.services.access.tokens import TOKEN_PREFIX, token_hash
from spinewise.services.access.totp_seeds import SeedKey
from spinewise.services.audit import Action, log, system_event
from spinewise.services.records import ClinicRecord, IssuedToken, UserRecord
from spinewise.services.unit import unit
from spinewise.store import Store, UnitOfWork, UserRow, utc_now

TOKEN_DAYS = 90


class NewUser(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    username: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]{1,63}$")
    display_name: str = Field(min_length=1, max_length=200)
    role: Role
    password: str

    @field_validator("password", mode="plain")
    @classmethod
    def _meets_the_policy(cls, value: Any, info: ValidationInfo) -> str:
        """The policy of ``services.passwords``; never echoes the password back."""
        if not isinstance(value, str):
            raise ValueError(N_("must be text"))
        problem = password_problem(value, str(info.data.get("username", "")))
        if problem is not None:
            raise ValueError(problem)
        return value


class NewClinic(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)


def _add_user(
    uow: UnitOfWork, clinic_id: int, user: NewUser, *, temporary: bool = False
) -> UserRow:
    if uow.users.by_username(user.username) is not None:
        raise ConflictError(
            N_("username {username!r} is already taken", username=user.username),
            field="username",
        )
    return uow.users.add(
        clinic_id=clinic_id,
        username=user.username,
        display_name=user.display_name,
        role=user.role.value,
        password_hash=hash_password(user.password),
        must_change_password=temporary,
    )


def create_clinic(
    store: Store,
    *,
    name: str,
    admin_username: str,
    admin_password: str,
    admin_display_name: str = "Clinic administrator",
    interface: Interface = Interface.CLI,
) -> tuple[ClinicRecord, UserRecord]:
    """A new clinic with its first administrator (operator bootstrap)."""
    clinic = parse_model(NewClinic, {"name": name})
    admin = parse_model(
        NewUser,
        {
            "username": admin_username,
            "display_name": admin_display_name,
            "role": Role.ADMIN,
            "password": admin_password,
        },
    )
    with store.unit_of_work(write=True) as uow:
        if uow.clinics.by_name(clinic.name) is not None:
            raise ConflictError(
                N_("clinic {name!r} already exists", name=clinic.name), field="name"
            )
        row = uow.clinics.add(clinic.name)
        user = _add_user(uow, row.id, admin)
        uow.audit.append(
            [
                system_event(
                    interface, Action.CREATE, "clinic", row.id, clinic_id=row.id
                ),
                system_event(
                    interface, Action.CREATE, "user", user.id, clinic_id=row.id
                ),
            ]
        )
        return ClinicRecord.model_validate(row), UserRecord.model_validate(user)


def find_clinic(store: Store, name: str) -> ClinicRecord | None:
    """The clinic called ``name`` (operator look-up; no patient data)."""
    with store.unit_of_work() as uow:
        row = uow.clinics.by_name(name)
        return None if row is None else ClinicRecord.model_validate(row)


def create_user(
    store: Store,
    actor: Actor,
    *,
    username: str,
    password: str,
    role: Role | str,
    display_name: str,
    temporary: bool = True,
) -> UserRecord:
    """A new user in the administrator's own clinic.

    The administrator chose the password, so it is ``temporary`` (the user must change
    it at the first sign-in) unless said otherwise (the demo's printed passwords).
    """
    user = parse_model(
        NewUser,
        {
            "username": username,
            "display_name": display_name,
            "role": role,
            "password": password,
        },
    )
    with unit(store, actor) as uow:
        require(actor, ADMINS, N_("create users"))
        row = _add_user(uow, actor.clinic_id, user, temporary=temporary)
        log(uow, actor, Action.CREATE, "user", row.id, detail={"role": row.role})
        return UserRecord.model_validate(row)


def list_users(store: Store, actor: Actor) -> list[UserRecord]:
    """The users of the administrator's clinic."""
    with unit(store, actor) as uow:
        require(actor, ADMINS, N_("list users"))
        log(uow, actor, Action.READ, "user")
        return [
            UserRecord.model_validate(r) for r in uow.users.of_clinic(actor.clinic_id)
        ]


def set_user_active(
    store: Store, actor: Actor, user_id: int, active: bool
) -> UserRecord:
    """Deactivate (or reactivate) a user of the clinic; takes effect on their next call."""
    with unit(store, actor) as uow:
        require(actor, ADMINS, N_("deactivate users"))
        row = uow.users.get(user_id)
        if row is None or row.clinic_id != actor.clinic_id:
            raise NotFoundError(N_("user"), user_id)
        if user_id == actor.user_id and not active:
            raise ConflictError(N_("you cannot deactivate yourself"), field="user_id")
        if not active:
            keep_an_admin(uow, row, N_("deactivate"))
        uow.users.set_active(row, active)
        if not active:
            user_sessions_must_end(uow, user_id)
        log(uow, actor, Action.CHANGE, "user", user_id, detail={"active": active})
        return UserRecord.model_validate(row)


def keep_an_admin(uow: UnitOfWork, row: UserRow, change: str) -> None:
    """Refuse to take the clinic's last active administrator away."""
    if row.role != Role.ADMIN.value or not row.active:
        return
    admins = uow.users.active_with_role(row.clinic_id, Role.ADMIN.value)
    if [a.id for a in admins] == [row.id]:
        raise ConflictError(
            N_(
                "cannot {change} {username}: the clinic's last active administrator",
                change=change,
                username=row.username,
            ),
            field="user_id",
        )


def authenticate(
    store: Store,
    username: str,
    password: str,
    interface: Interface,
    code: str | None = None,
    *,
    key: SeedKey | None = None,
) -> Actor | None:
    """The actor for a correct username and password of an active user (and the right
    ``code``, checked with the TOTP ``key``, when the user has two-factor sign-in),
    else None. Audited either way."""
    return sign_in(store, username, password, interface, code, key=key).actor


def issue_api_token(
    store: Store,
    actor: Actor,
    *,
    user_id: int | None = None,
    label: str = "api",
    expires_at: dt.datetime | None = None,
) -> IssuedToken:
    """A new API token for the actor (or, for an admin, a user of the clinic).

    Every token expires: by default ``TOKEN_DAYS`` days from now.
    """
    target = actor.user_id if user_id is None else user_id
    if expires_at is None:
        expires_at = utc_now() + dt.timedelta(days=TOKEN_DAYS)
    with unit(store, actor) as uow:
        if target != actor.user_id:
            require(actor, ADMINS, N_("issue tokens for other users"))
        row = uow.users.get(target)
        if row is None or row.clinic_id != actor.clinic_id:
            raise NotFoundError(N_("user"), target)
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        stored = uow.api_tokens.add(
            user_id=target,
            token_hash=token_hash(token),
            label=label[:100],
            expires_at=expires_at,
        )
        log(uow, actor, Action.CREATE, "api_token", stored.id, detail={"user": target})
        return IssuedToken(
            id=stored.id,
            user_id=target,
            label=stored.label,
            token=token,
            expires_at=expires_at,
        )


def revoke_api_token(store: Store, actor: Actor, token_id: int) -> None:
    """Revoke a token of the actor (or, for an admin, of a user of the clinic)."""
    with unit(store, actor) as uow:
        row = uow.api_tokens.get(token_id)
        owner = None if row is None else uow.users.get(row.user_id)
        if row is None or owner is None or owner.clinic_id != actor.clinic_id:
            raise NotFoundError(N_("api token"), token_id)
        if owner.id != actor.user_id:
            require(actor, ADMINS, N_("revoke tokens of other users"))
        uow.api_tokens.revoke(token_id, utc_now())
        log(uow, actor, Action.CHANGE, "api_token", token_id, detail={"revoked": True})
