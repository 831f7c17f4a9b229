"""Signing in with a password and, for a user who has it, a second factor.

``sign_in`` checks the password (an unknown username costs the same hashing time)
and, when the user has two-factor sign-in, the code given with it; without a code it
answers that one is needed. ``complete_sign_in`` is the web's second step, for a user
whose password was checked on the step before. Every refusal is audited as
``login_failed`` and tells nothing about which part was wrong; a success as ``login``.
A code needs the TOTP ``key``; when the user's secret does not open with it the
refusal is audited (``second_factor: unreadable``) and then raised as a
``ConflictError`` that says so: never a wrong code, never "no second factor".
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import cache

from spinewise.errors import ConflictError
from spinewise.services.access.actors import Actor, Interface, actor_of
from spinewise.services.access.passwords import (
    hash_password,
    needs_rehash,
    password_matches,
)
from spinewise.services.access.totp_seeds import SeedKey, SeedProblem
from spinewise.services.access.two_factor import (
    UNREADABLE_SECRET,
    FactorCheck,
    check_second_factor,
)
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
    uow: UnitOfWork,
    interface: Interface,
    username: str,
    row: UserRow | None,
    problem: SeedProblem | None = None,
) -> SignInStep:
    detail = None
    if problem is not None:
        detail = {"second_factor": "unreadable", "problem": problem.value}
    uow.audit.append(
        [
            system_event(
                interface,
                Action.LOGIN_FAILED,
                "user",
                None if row is None else row.id,
                clinic_id=None if row is None else row.clinic_id,
                username=username[:64],
                detail=detail,
            )
        ]
    )
    return SignInStep()


def _unreadable(check: FactorCheck | None) -> None:
    """Raise (after the refusal is committed) when the secret did not open."""
    if check is not None and check.problem is not None:
        raise ConflictError(UNREADABLE_SECRET, field="code")


def sign_in(
    store: Store,
    username: str,
    password: str,
    interface: Interface,
    code: str | None = None,
    *,
    key: SeedKey | None = None,
) -> SignInStep:
    """Check a password (and ``code``, for a user with two-factor sign-in: it needs
    the TOTP ``key``)."""
    if code is not None and key is None:
        raise TypeError("a second-factor code is checked with the TOTP key")
    step = _sign_in(store, username, password, interface, code, key)
    if isinstance(step, FactorCheck):  # refused at the code, and committed so
        _unreadable(step)
        return SignInStep()
    return step


def _sign_in(
    store: Store,
    username: str,
    password: str,
    interface: Interface,
    code: str | None,
    key: SeedKey | None,
) -> SignInStep | FactorCheck:
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
            if code is None or key is None:
                return SignInStep(code_needed_for=row.id)
            check = check_second_factor(uow, row, code, key)
            if not check.right:
                _refuse(uow, interface, username, row, check.problem)
                return check
        actor = actor_of(row, interface)
        log(uow, actor, Action.LOGIN, "user", row.id)
        return SignInStep(actor=actor)


def complete_sign_in(
    store: Store, user_id: int, code: str, interface: Interface, *, key: SeedKey
) -> Actor | None:
    """The second step: the actor when ``code`` is right for this active user."""
    check = None
    with store.unit_of_work(write=True) as uow:
        row = uow.users.get(user_id)
        if row is not None and row.active:
            check = check_second_factor(uow, row, code, key)
        if row is None or check is None or not check.right:
            username = "" if row is None else row.username
            problem = None if check is None else check.problem
            _refuse(uow, interface, username, row, problem)
            actor = None
        else:
            actor = actor_of(row, interface)
            detail = {"second_factor": True}
            log(uow, actor, Action.LOGIN, "user", row.id, detail=detail)
    _unreadable(check)
    return actor
