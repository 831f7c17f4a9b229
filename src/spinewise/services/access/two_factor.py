"""Two-factor sign-in: TOTP (RFC 6238, 6 digits, 30 s) with one-time recovery codes.

Enrolment is two steps: ``start_enrolment`` stores a new secret (not yet in force) and
returns it with an ``otpauth://`` URI and its QR code as inline SVG; the first right
code (``confirm_enrolment``) turns it on and returns ten recovery codes, shown once
and stored as SHA-256 digests. A TOTP code is accepted one step either side of now,
and each step only once (the last accepted step is stored); a recovery code works
once. Administrators and physicians must use it in production mode
(``two_factor_required``).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

import pyotp
import segno

from spinewise.errors import N_, ConflictError, FieldProblem, InputError
from spinewise.services.access.actors import Actor, Role
from spinewise.services.access.passwords import password_matches
from spinewise.services.audit import Action, log
from spinewise.services.unit import unit
from spinewise.store import RecoveryCodes, Store, UnitOfWork, UserRow, utc_now

ISSUER = "Spinewise"
RECOVERY_CODES = 10
REQUIRED_IN_PRODUCTION = frozenset({Role.ADMIN, Role.PHYSICIAN})
_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


@dataclass(frozen=True)
class Enrolment:
    """A secret waiting for its first code: to type (``secret``) or scan (``qr_svg``)."""

    secret: str
    uri: str
    qr_svg: str


def two_factor_required(role: Role | str, *, production: bool) -> bool:
    """Whether a user of ``role`` must have two-factor sign-in before anything else."""
    return production and Role(role) in REQUIRED_IN_PRODUCTION


def _normal(code: str) -> str:
    return "".join(c for c in code.casefold() if c.isascii() and c.isalnum())


def _digest(code: str) -> str:
    return hashlib.sha256(_normal(code).encode("ascii")).hexdigest()


def _new_recovery_codes(uow: UnitOfWork, user_id: int) -> list[str]:
    codes = [
        "-".join(
            "".join(secrets.choice(_CODE_ALPHABET) for _ in range(5)) for _ in range(2)
        )
        for _ in range(RECOVERY_CODES)
    ]
    RecoveryCodes(uow.session).replace(user_id, [_digest(c) for c in codes])
    return codes


def _totp_step(secret: str, code: str, last_step: int | None) -> int | None:
    """The time step ``code`` belongs to (now ± 1), unless used already."""
    digits = code.replace(" ", "").strip()
    if len(digits) != 6 or not (digits.isascii() and digits.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    now = utc_now()
    current = totp.timecode(now)
    for offset in (0, -1, 1):
        step = current + offset
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(totp.at(now, counter_offset=offset), digits):
            return step
    return None


def second_factor_ok(uow: UnitOfWork, row: UserRow, code: str) -> bool:
    """Whether ``code`` (a TOTP code or an unused recovery code) is right for ``row``;
    a right one is used up."""
    if not row.totp_enabled or row.totp_secret is None or len(code) > 64:
        return False
    step = _totp_step(row.totp_secret, code, row.totp_last_step)
    if step is not None:
        uow.users.set_totp(row, secret=row.totp_secret, enabled=True, last_step=step)
        return True
    if len(_normal(code)) != 10:
        return False
    return RecoveryCodes(uow.session).use(row.id, _digest(code), utc_now())


def _own_row(uow: UnitOfWork, actor: Actor) -> UserRow:
    row = uow.users.get(actor.user_id)
    if row is None:  # unit() has checked the user exists; kept for the type checker
        raise ConflictError(N_("your account no longer exists"), field="user_id")
    return row


def two_factor_enabled(store: Store, actor: Actor) -> tuple[bool, int]:
    """Whether the actor has two-factor sign-in, and how many recovery codes are left."""
    with store.unit_of_work() as uow:
        row = uow.users.get(actor.user_id)
        if row is None or not row.totp_enabled:
            return False, 0
        return True, RecoveryCodes(uow.session).unused(row.id)


def _enrolment(secret: str, username: str) -> Enrolment:
    uri = pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)
    svg = segno.make(uri, error="m").svg_inline(
        scale=4, title="QR code to add Spinewise to an authenticator app"
    )
    return Enrolment(secret=secret, uri=uri, qr_svg=svg)


def pending_enrolment(store: Store, actor: Actor) -> Enrolment | None:
    """The actor's started enrolment still waiting for its first code, if any."""
    with store.unit_of_work() as uow:
        row = uow.users.get(actor.user_id)
        if row is None or row.totp_enabled or row.totp_secret is None:
            return None
        return _enrolment(row.totp_secret, row.username)


def start_enrolment(store: Store, actor: Actor) -> Enrolment:
    """A new secret for the actor, in force once a code confirms it."""
    with unit(store, actor) as uow:
        row = _own_row(uow, actor)
        if row.totp_enabled:
            raise ConflictError(
                N_("two-factor sign-in is already on; turn it off first"), field="code"
            )
        secret = pyotp.random_base32()
        uow.users.set_totp(row, secret=secret, enabled=False, last_step=None)
        log(uow, actor, Action.CHANGE, "user", row.id, detail={"two_factor": "start"})
    return _enrolment(secret, actor.username)


def confirm_enrolment(store: Store, actor: Actor, code: str) -> list[str]:
    """Turn two-factor sign-in on with the first right code; the recovery codes."""
    with unit(store, actor) as uow:
        row = _own_row(uow, actor)
        if row.totp_enabled or row.totp_secret is None:
            raise ConflictError(
                N_("no enrolment is waiting for a code; start again"), field="code"
            )
        step = _totp_step(row.totp_secret, code, None)
        if step is None:
            raise InputError(
                [
                    FieldProblem(
                        "code", N_("is not the code the app shows now; try again")
                    )
                ]
            )
        uow.users.set_totp(row, secret=row.totp_secret, enabled=True, last_step=step)
        codes = _new_recovery_codes(uow, row.id)
        log(uow, actor, Action.CHANGE, "user", row.id, detail={"two_factor": "on"})
        return codes


def new_recovery_codes(store: Store, actor: Actor, password: str) -> list[str]:
    """Replace the actor's recovery codes (the password confirms it is them)."""
    with unit(store, actor) as uow:
        row = _own_row(uow, actor)
        _confirm_password(row, password)
        if not row.totp_enabled:
            raise ConflictError(N_("two-factor sign-in is off"), field="code")
        codes = _new_recovery_codes(uow, row.id)
        log(uow, actor, Action.CHANGE, "user", row.id, detail={"two_factor": "codes"})
        return codes


def disable_two_factor(
    store: Store, actor: Actor, password: str, *, production: bool
) -> None:
    """Turn the actor's two-factor sign-in off (not where their role requires it)."""
    with unit(store, actor) as uow:
        row = _own_row(uow, actor)
        _confirm_password(row, password)
        if two_factor_required(row.role, production=production):
            raise ConflictError(
                N_("a {role} must keep two-factor sign-in on", role=row.role),
                field="password",
            )
        uow.users.set_totp(row, secret=None, enabled=False, last_step=None)
        RecoveryCodes(uow.session).remove(row.id)
        log(uow, actor, Action.CHANGE, "user", row.id, detail={"two_factor": "off"})


def _confirm_password(row: UserRow, password: str) -> None:
    if not password_matches(row.password_hash, password):
        raise InputError([FieldProblem("password", N_("is not your current password"))])
