"""A clinic administrator's user management: add, change role, reset a password or
two-factor sign-in (besides ``list_users`` and ``set_user_active`` in ``accounts``).

The rules are the CLI's and the web's alike: only administrators, only their own
clinic's users (another clinic's user is "not found"), never the clinic's last active
administrator demoted or deactivated; every change audited.
"""

from __future__ import annotations

from spinewise.errors import N_, ConflictError, FieldProblem, InputError, NotFoundError
from spinewise.i18n import SUPPORTED_LANGUAGES
from spinewise.services.access.accounts import create_user, keep_an_admin
from spinewise.services.access.actors import ADMINS, Actor, Role, require
from spinewise.services.access.passwords import hash_password, random_password
from spinewise.services.access.signout import user_sessions_must_end
from spinewise.services.audit import Action, log
from spinewise.services.records import UserRecord
from spinewise.services.unit import unit
from spinewise.store import RecoveryCodes, Store, UnitOfWork, UserRow, utc_now


def _clinic_user(uow: UnitOfWork, actor: Actor, user_id: int, action: str) -> UserRow:
    require(actor, ADMINS, action)
    row = uow.users.get(user_id)
    if row is None or row.clinic_id != actor.clinic_id:
        raise NotFoundError(N_("user"), user_id)
    return row


def get_user(store: Store, actor: Actor, user_id: int) -> UserRecord:
    """One user of the administrator's clinic."""
    with unit(store, actor) as uow:
        row = _clinic_user(uow, actor, user_id, N_("see users"))
        log(uow, actor, Action.READ, "user", user_id)
        return UserRecord.model_validate(row)


def add_user(
    store: Store, actor: Actor, *, username: str, display_name: str, role: Role | str
) -> tuple[UserRecord, str]:
    """A new user with a random temporary password (returned, to hand over once);
    they must change it at their first sign-in."""
    password = random_password(username.strip())
    user = create_user(
        store,
        actor,
        username=username,
        password=password,
        role=role,
        display_name=display_name,
        temporary=True,
    )
    return user, password


def change_role(
    store: Store, actor: Actor, user_id: int, role: Role | str
) -> UserRecord:
    """Give a user of the clinic another role (never the last admin's away)."""
    new_role = Role(role)
    with unit(store, actor) as uow:
        row = _clinic_user(uow, actor, user_id, N_("change roles"))
        if row.role == new_role.value:
            return UserRecord.model_validate(row)
        if new_role is not Role.ADMIN:
            keep_an_admin(uow, row, N_("demote"))
        before = row.role
        uow.users.set_role(row, new_role.value)
        detail = {"role": new_role.value, "was": before}
        log(uow, actor, Action.CHANGE, "user", user_id, detail=detail)
        return UserRecord.model_validate(row)


def reset_password(store: Store, actor: Actor, user_id: int) -> str:
    """A random temporary password for a user of the clinic (returned, to hand over
    once); they must change it at the next sign-in, and their sessions end."""
    with unit(store, actor) as uow:
        row = _clinic_user(uow, actor, user_id, N_("reset passwords"))
        if row.id == actor.user_id:
            raise ConflictError(
                N_("change your own password from your account instead"),
                field="user_id",
            )
        password = random_password(row.username)
        uow.users.set_password(
            row, hash_password(password), must_change=True, at=utc_now()
        )
        log(uow, actor, Action.CHANGE, "user", user_id, detail={"password": "reset"})
        user_sessions_must_end(uow, user_id)
        return password


def reset_two_factor(store: Store, actor: Actor, user_id: int) -> UserRecord:
    """Turn a user's two-factor sign-in off (a lost phone and recovery codes); where
    their role requires it they must enrol again at the next sign-in."""
    with unit(store, actor) as uow:
        row = _clinic_user(uow, actor, user_id, N_("reset two-factor sign-in"))
        uow.users.set_totp(row, secret=None, enabled=False, last_step=None)
        RecoveryCodes(uow.session).remove(row.id)
        detail = {"two_factor": "reset"}
        log(uow, actor, Action.CHANGE, "user", user_id, detail=detail)
        return UserRecord.model_validate(row)


def set_own_language(store: Store, actor: Actor, language: str | None) -> None:
    """The language of the actor's own pages (None or "": the browser's choice).

    An unknown code is an ``InputError`` on ``language`` naming the known ones.
    """
    code = (language or "").strip().lower() or None
    if code is not None and code not in SUPPORTED_LANGUAGES:
        known = ", ".join(SUPPORTED_LANGUAGES)
        raise InputError(
            [
                FieldProblem(
                    "language",
                    N_(
                        "unknown language {code!r} (known: {known})",
                        code=code,
                        known=known,
                    ),
                )
            ]
        )
    with unit(store, actor) as uow:
        row = uow.users.get(actor.user_id)
        if row is None:  # pragma: no cover - the unit checked the actor
            raise NotFoundError(N_("user"), actor.user_id)
        row.language = code
        log(uow, actor, Action.CHANGE, "user", actor.user_id, detail={"language": code})
