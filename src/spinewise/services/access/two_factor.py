"""Two-factor sign-in: TOTP (RFC 6238, 6 digits, 30 s) with one-time recovery codes.

Enrolment is two steps: ``start_enrolment`` stores a new secret (not yet in force) and
returns it with an ``otpauth://`` URI and its QR code as inline SVG; the first right
code (``confirm_enrolment``) turns it on and returns ten recovery codes, shown once
and stored as SHA-256 digests. A TOTP code is accepted one step either side of now,
and each step only once (the last accepted step is stored); a recovery code works
once. Administrators and physicians must use it in production mode
(``two_factor_required``).

The secret is stored encrypted under the instance's TOTP key (``totp_seeds``), so
every function that reads or writes it takes that ``key``. A secret that does not
open (another key, another user's row) refuses every code, recovery codes too: the
sign-in is refused and audited (``check_second_factor`` tells why), never taken
for "no second factor". A plain secret from before encryption still works once and
is encrypted by that use.
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
from spinewise.services.access.totp_seeds import (
    OpenedSeed,
    SeedKey,
    SeedProblem,
    open_seed,
    seal_seed,
)
from spinewise.services.audit import Action, log
from spinewise.services.unit import unit
from spinewise.store import RecoveryCodes, Store, UnitOfWork, UserRow, utc_now

ISSUER = "Spinewise"
RECOVERY_CODES = 10
REQUIRED_IN_PRODUCTION = frozenset({Role.ADMIN, Role.PHYSICIAN})
_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
UNREADABLE_SECRET = N_(
    "two-factor sign-in cannot check your code: your secret cannot be read with "
    "this server's key; ask your administrator"
)


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


@dataclass(frozen=True)
class FactorCheck:
    """A second factor checked: ``right``, or not; ``problem`` when the stored secret
    did not open, so no code could be right (the sign-in must say so)."""

    right: bool
    problem: SeedProblem | None = None


def _opened(row: UserRow, key: SeedKey) -> OpenedSeed:
    if row.totp_secret is None:
        return OpenedSeed(None, SeedProblem.MALFORMED)
    return open_seed((key,), row.id, row.totp_secret)


def _stored(row: UserRow, opened: OpenedSeed, key: SeedKey) -> str | None:
    """What to keep in the row: a plain secret encrypted now, else as it was."""
    if opened.plain and opened.seed is not None:
        return seal_seed(key, row.id, opened.seed)
    return row.totp_secret


def check_second_factor(
    uow: UnitOfWork, row: UserRow, code: str, key: SeedKey
) -> FactorCheck:
    """Whether ``code`` (a TOTP code or an unused recovery code) is right for ``row``;
    a right one is used up."""
    if not row.totp_enabled or row.totp_secret is None:
        return FactorCheck(False)
    opened = _opened(row, key)
    if opened.seed is None:
        return FactorCheck(False, opened.problem)
    if len(code) > 64:
        return FactorCheck(False)
    step = _totp_step(opened.seed, code, row.totp_last_step)
    if step is not None:
        secret = _stored(row, opened, key)
        uow.users.set_totp(row, secret=secret, enabled=True, last_step=step)
        return FactorCheck(True)
    if len(_normal(code)) != 10:
        return FactorCheck(False)
    if not RecoveryCodes(uow.session).use(row.id, _digest(code), utc_now()):
        return FactorCheck(False)
    if opened.plain:
        uow.users.set_totp_secret(row, seal_seed(key, row.id, opened.seed))
    return FactorCheck(True)


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


def pending_enrolment(store: Store, actor: Actor, key: SeedKey) -> Enrolment | None:
    """The actor's started enrolment still waiting for its first code, if any (one
    whose secret does not open is none: starting again replaces it)."""
    with store.unit_of_work() as uow:
        row = uow.users.get(actor.user_id)
        if row is None or row.totp_enabled or row.totp_secret is None:
            return None
        seed = _opened(row, key).seed
        return None if seed is None else _enrolment(seed, row.username)


def start_enrolment(store: Store, actor: Actor, key: SeedKey) -> Enrolment:
    """A new secret for the actor, in force once a code confirms it."""
    with unit(store, actor) as uow:
        row = _own_row(uow, actor)
        if row.totp_enabled:
            raise ConflictError(
                N_("two-factor sign-in is already on; turn it off first"), field="code"
            )
        secret = pyotp.random_base32()
        sealed = seal_seed(key, row.id, secret)
        uow.users.set_totp(row, secret=sealed, enabled=False, last_step=None)
        log(uow, actor, Action.CHANGE, "user", row.id, detail={"two_factor": "start"})
    return _enrolment(secret, actor.username)


def confirm_enrolment(store: Store, actor: Actor, code: str, key: SeedKey) -> list[str]:
    """Turn two-factor sign-in on with the first right code; the recovery codes."""
    with unit(store, actor) as uow:
        row = _own_row(uow, actor)
        opened = _opened(row, key)
        if row.totp_enabled or opened.seed is None:
            raise ConflictError(
                N_("no enrolment is waiting for a code; start again"), field="code"
            )
        step = _totp_step(opened.seed, code, None)
        if step is None:
            raise InputError(
                [
                    FieldProblem(
                        "code", N_("is not the code the app shows now; try again")
                    )
                ]
            )
        secret = _stored(row, opened, key)
        uow.users.set_totp(row, secret=secret, enabled=True, last_step=step)
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
