"""Signing in with a password and, for a user who has it, a second factor.

``sign_in`` checks the password (an unknown username costs the same hashing time)
and, when the user has two-factor sign-in, the code given with it; without a code it
answers that one is needed. ``complete_sign_in`` is the web's second step, for a user
whose password was checked on the step before. Every refusal is audited as
``login_failed`` and tells nothing about which part was wrong; a success as ``login``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import cache

from spinewise.services.access.actors import Actor, Interface, actor_of
from spinewise.services.access.passwords import (
    hash_password,
    needs_rehash,
    password_matches,
)
from spinewise.services.access.two_factor import second_factor_ok
from spinewise.services.audit import Action, log, system_event
from spinewise.store import Store, UnitOfWork, UserRow


@dataclass(frozen=True)
class SignInStep:
    """Where a sign-in stands: ``actor`` when done; ``code_needed_for`` (a user id)
    when the password was right and a second-factor code must follow; else refused."""

    actor: Actor | None = None
    code_needed_for: int | None = None

    @property
    def refused(self) -> bool:
        return self.actor is None and self.code_needed_for is None


@cache
def _decoy_hash() -> str:
    """A hash to verify against when the username is unknown (same time either way)."""
    return hash_password(secrets.token_hex(16))


def _refuse(
    uow: UnitOfWork, interface: Interface, username: str, row: UserRow | None
) -> SignInStep:
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
    return SignInStep()


def sign_in(
    store: Store,
    username: str,
    password: str,
    interface: Interface,
    code: str | None = None,
) -> SignInStep:
    """Check a password (and ``code``, for a user with two-factor sign-in)."""
    with store.unit_of_work() as uow:
        row = uow.users.by_username(username)
        stored = row.password_hash if row is not None else _decoy_hash()
    correct = password_matches(stored, password)
    with store.unit_of_work(write=True) as uow:
        row = uow.users.get(row.id) if row is not None else None
        if row is None or not correct or not row.active:
            return _refuse(uow, interface, username, row)
        if needs_rehash(row.password_hash):
            uow.users.set_password_hash(row.id, hash_password(password))
        if row.totp_enabled:
            if code is None:
                return SignInStep(code_needed_for=row.id)
            if not second_factor_ok(uow, row, code):
                return _refuse(uow, interface, username, row)
        actor = actor_of(row, interface)
        log(uow, actor, Action.LOGIN, "user", row.id)
        return SignInStep(actor=actor)


def complete_sign_in(
    store: Store, user_id: int, code: str, interface: Interface
) -> Actor | None:
    """The second step: the actor when ``code`` is right for this active user."""
    with store.unit_of_work(write=True) as uow:
        row = uow.users.get(user_id)
        if row is None or not row.active or not second_factor_ok(uow, row, code):
            return _refuse(
                uow, interface, "" if row is None else row.username, row
            ).actor
        actor = actor_of(row, interface)
        log(uow, actor, Action.LOGIN, "user", row.id, detail={"second_factor": True})
        return actor
