"""Clinics, users, passwords (argon2) and API tokens (stored as SHA-256 hashes).

``create_clinic`` is the operator's bootstrap (no actor: whoever holds the database URL
holds the data); everything else acts as an ``Actor``. The web app signs users in with
``authenticate`` and API clients with ``verify_api_token``.
"""

from __future__ import annotations

import datetime as dt
import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel, ConfigDict, Field

from spinewise.errors import ConflictError, NotFoundError
from spinewise.models import parse_model
from spinewise.services.actors import (
    ADMINS,
    Actor,
    Interface,
    Role,
    actor_of,
    require,
)
from spinewise.services.audit import Action, log, system_event
from spinewise.services.records import ClinicRecord, IssuedToken, UserRecord
from spinewise.services.tokens import TOKEN_PREFIX, token_hash
from spinewise.services.unit import unit
from spinewise.services.websessions import end_user_sessions_in
from spinewise.store import Store, UnitOfWork, UserRow, utc_now

_HASHER = PasswordHasher()
TOKEN_DAYS = 90


class NewUser(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    username: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]{1,63}$")
    display_name: str = Field(min_length=1, max_length=200)
    role: Role
    password: str = Field(min_length=10, max_length=1024)


class NewClinic(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)


@cache
def _decoy_hash() -> str:
    """A hash to verify against when the username is unknown (same time either way)."""
    return _HASHER.hash(secrets.token_hex(16))


def _add_user(uow: UnitOfWork, clinic_id: int, user: NewUser) -> UserRow:
    if uow.users.by_username(user.username) is not None:
        raise ConflictError(
            f"username {user.username!r} is already taken", field="username"
        )
    return uow.users.add(
        clinic_id=clinic_id,
        username=user.username,
        display_name=user.display_name,
        role=user.role.value,
        password_hash=_HASHER.hash(user.password),
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
            raise ConflictError(f"clinic {clinic.name!r} already exists", field="name")
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
) -> UserRecord:
    """A new user in the administrator's own clinic."""
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
        require(actor, ADMINS, "create users")
        row = _add_user(uow, actor.clinic_id, user)
        log(uow, actor, Action.CREATE, "user", row.id, detail={"role": row.role})
        return UserRecord.model_validate(row)


def list_users(store: Store, actor: Actor) -> list[UserRecord]:
    """The users of the administrator's clinic."""
    with unit(store, actor) as uow:
        require(actor, ADMINS, "list users")
        log(uow, actor, Action.READ, "user")
        return [
            UserRecord.model_validate(r) for r in uow.users.of_clinic(actor.clinic_id)
        ]


def set_user_active(
    store: Store, actor: Actor, user_id: int, active: bool
) -> UserRecord:
    """Deactivate (or reactivate) a user of the clinic; takes effect on their next call."""
    with unit(store, actor) as uow:
        require(actor, ADMINS, "deactivate users")
        row = uow.users.get(user_id)
        if row is None or row.clinic_id != actor.clinic_id:
            raise NotFoundError("user", user_id)
        if user_id == actor.user_id and not active:
            raise ConflictError("you cannot deactivate yourself", field="user_id")
        uow.users.set_active(row, active)
        if not active:
            end_user_sessions_in(uow, user_id)
        log(uow, actor, Action.CHANGE, "user", user_id, detail={"active": active})
        return UserRecord.model_validate(row)


def authenticate(
    store: Store, username: str, password: str, interface: Interface
) -> Actor | None:
    """The actor for a correct username and password of an active user, else None.

    Every attempt is audited; an unknown username costs the same hashing time.
    """
    with store.unit_of_work() as uow:
        row = uow.users.by_username(username)
        stored = row.password_hash if row is not None else _decoy_hash()
    correct: bool
    try:
        correct = _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        correct = False
    with store.unit_of_work(write=True) as uow:
        if row is None or not correct or not row.active:
            uow.audit.append(
                [
                    system_event(
                        interface,
                        Action.LOGIN_FAILED,
                        "user",
                        None if row is None else row.id,
                        clinic_id=None if row is None else row.clinic_id,
                        username=username[:64],
                    )
                ]
            )
            return None
        if _HASHER.check_needs_rehash(stored):
            uow.users.set_password_hash(row.id, _HASHER.hash(password))
        actor = actor_of(row, interface)
        log(uow, actor, Action.LOGIN, "user", row.id)
        return actor


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
            require(actor, ADMINS, "issue tokens for other users")
        row = uow.users.get(target)
        if row is None or row.clinic_id != actor.clinic_id:
            raise NotFoundError("user", target)
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
            raise NotFoundError("api token", token_id)
        if owner.id != actor.user_id:
            require(actor, ADMINS, "revoke tokens of other users")
        uow.api_tokens.revoke(token_id, utc_now())
        log(uow, actor, Action.CHANGE, "api_token", token_id, detail={"revoked": True})
