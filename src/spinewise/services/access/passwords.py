"""The password policy and the password hash: one check for every password set.

A password is accepted when it is at least ``MIN_LENGTH`` characters long, is not one
of the 30,000 most common passwords (``data/common-passwords.txt``, compared without
regard to case, also once the digits and symbols around it are taken off:
``Password2026!`` is ``password``), and neither equals nor contains the username.
Every place a password is set (a new clinic's administrator, a new user, the demo,
a change, an administrator's reset) goes through ``password_problem``.

Hashes are Argon2id (argon2-cffi) with the parameters of RFC 9106's second
recommended option ("low memory"): 3 passes over 64 MiB with 4 lanes, a 16-byte
random salt and a 32-byte tag. Hashes made with other parameters are re-hashed at the
next successful sign-in.
"""

from __future__ import annotations

import secrets
import string
from functools import cache
from importlib import resources

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from spinewise.errors import N_, FieldProblem, InputError
from spinewise.services.access.actors import Actor
from spinewise.services.access.signout import user_sessions_must_end
from spinewise.services.audit import Action, log
from spinewise.services.unit import unit
from spinewise.store import Store, utc_now

MIN_LENGTH = 12
MAX_LENGTH = 1024
ARGON2_TIME_COST = 3
ARGON2_MEMORY_KIB = 64 * 1024
ARGON2_PARALLELISM = 4
ARGON2_HASH_BYTES = 32
ARGON2_SALT_BYTES = 16

HASHER = PasswordHasher(
    time_cost=ARGON2_TIME_COST,
    memory_cost=ARGON2_MEMORY_KIB,
    parallelism=ARGON2_PARALLELISM,
    hash_len=ARGON2_HASH_BYTES,
    salt_len=ARGON2_SALT_BYTES,
    type=Type.ID,
)
_AROUND = string.digits + string.punctuation + string.whitespace
# Letters and digits that cannot be mistaken for each other when read aloud or typed.
_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@cache
def common_passwords() -> frozenset[str]:
    """The bundled list of common passwords, lower-cased."""
    text = (
        resources.files("spinewise.services")
        .joinpath("data", "common-passwords.txt")
        .read_text(encoding="utf-8")
    )
    return frozenset(
        line for line in text.splitlines() if line and not line.startswith("# ")
    )


def _is_common(password: str) -> bool:
    folded = password.casefold()
    core = folded.strip(_AROUND)
    common = common_passwords()
    return folded in common or (len(core) >= 4 and core in common)


def password_problem(password: str, username: str) -> str | None:
    """What is wrong with ``password`` for ``username``, or None when it is accepted.

    The message never repeats the password.
    """
    if len(password) < MIN_LENGTH:
        return N_(
            "must be at least {minimum} characters long (it has {length}); "
            "a phrase of several unrelated words is easy to remember",
            minimum=MIN_LENGTH,
            length=len(password),
        )
    if len(password) > MAX_LENGTH:
        return N_("must be at most {maximum} characters long", maximum=MAX_LENGTH)
    name = username.strip().casefold()
    if name and name in password.casefold():
        return N_("must not be or contain the username")
    if _is_common(password):
        return N_(
            "is one of the most common passwords (ignoring case, digits and symbols "
            "around it); choose one that is not"
        )
    return None


def require_strong_password(
    password: str, username: str, field: str = "password"
) -> None:
    """Raise an ``InputError`` naming ``field`` unless the policy accepts ``password``."""
    problem = password_problem(password, username)
    if problem is not None:
        raise InputError([FieldProblem(field, problem)])


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def password_matches(stored_hash: str, password: str) -> bool:
    """Whether ``password`` is the one ``stored_hash`` was made from."""
    try:
        return HASHER.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    try:
        return HASHER.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return False


def random_password(username: str = "", length: int = 20) -> str:
    """A random password (about 115 bits for 20 characters) that meets the policy:
    a new user's or a reset's temporary one, or a demo user's."""
    while True:
        candidate = "".join(secrets.choice(_ALPHABET) for _ in range(length))
        if password_problem(candidate, username) is None:
            return candidate


def change_password(store: Store, actor: Actor, current: str, new: str) -> None:
    """The actor's own new password (the current one confirms it is them); every other
    signed-in session of theirs ends."""
    with unit(store, actor) as uow:
        row = uow.users.get(actor.user_id)
        if row is None or not password_matches(row.password_hash, current):
            raise InputError(
                [FieldProblem("current_password", N_("is not your current password"))]
            )
        require_strong_password(new, row.username, field="new_password")
        if password_matches(row.password_hash, new):
            raise InputError(
                [FieldProblem("new_password", N_("must differ from the current one"))]
            )
        uow.users.set_password(row, hash_password(new), must_change=False, at=utc_now())
        log(uow, actor, Action.CHANGE, "user", row.id, detail={"password": "changed"})
        user_sessions_must_end(uow, row.id)


def must_change_password(store: Store, user_id: int) -> bool:
    """Whether the user signs in with a temporary password they must change first."""
    with store.unit_of_work() as uow:
        row = uow.users.get(user_id)
        return row is not None and row.must_change_password
