"""Keeping every TOTP secret encrypted under the key in force.

``encrypt_totp_secrets`` is the one step for both jobs: secrets still in plain text
(written before encryption) and secrets under an old key (after the operator changed
``SPINEWISE_TOTP_KEY`` or, without it, ``SPINEWISE_SECRET_KEY``). It runs in one
transaction with the rows locked: either every secret ends under the key in force, or
none changes and the error names the users whose secret opened with no key given. It
is safe to run twice (a secret under the key in force is left alone). The database's
own development secret is always tried as an old key, so moving a development
database to an operator's key needs no old key typed in. Each re-encrypted secret is
audited on its user, in its clinic's trail.

The web app encrypts plain secrets when it starts (``encrypt_plain_totp_secrets``:
they never outlive the first start of this version) and says in its log how many
secrets no key in force opens; ``totp_secrets_status`` counts them for
``spinewise keys status``.
"""

from __future__ import annotations

from dataclasses import dataclass

from spinewise.errors import N_, ConflictError
from spinewise.services.access.actors import Interface
from spinewise.services.access.instance_secret import SECRET_NAME
from spinewise.services.access.totp_seeds import (
    SeedKey,
    is_sealed,
    open_seed,
    seal_seed,
    sealed_under,
)
from spinewise.services.audit import Action, system_event
from spinewise.store import InstanceSecrets, Store, UnitOfWork, UserRow


@dataclass(frozen=True)
class TotpSecrets:
    """How the stored TOTP secrets stand against the key in force (``key_id``):
    under it, still plain, or under another key (they refuse every code)."""

    key_id: str
    current: int
    plain: int
    other_key: int
    encrypted_now: int = 0


def _keys(
    uow: UnitOfWork, key: SeedKey, old: tuple[SeedKey, ...]
) -> tuple[SeedKey, ...]:
    stored = InstanceSecrets(uow.session).get(SECRET_NAME)
    development = () if stored is None else (SeedKey.derive(stored),)
    return (key, *old, *development)


def _count(key: SeedKey, rows: list[UserRow], encrypted_now: int) -> TotpSecrets:
    secrets = [r.totp_secret or "" for r in rows]
    current = sum(sealed_under(s, key) for s in secrets)
    plain = sum(not is_sealed(s) for s in secrets)
    other = len(secrets) - current - plain
    return TotpSecrets(key.key_id, current, plain, other, encrypted_now)


def totp_secrets_status(store: Store, key: SeedKey) -> TotpSecrets:
    """Count the stored secrets under ``key``, still plain, and under another key."""
    with store.unit_of_work() as uow:
        return _count(key, uow.users.with_totp_secret(lock=False), 0)


def _encrypt(
    uow: UnitOfWork,
    key: SeedKey,
    old: tuple[SeedKey, ...],
    interface: Interface,
    *,
    plain_only: bool,
) -> TotpSecrets:
    rows = uow.users.with_totp_secret()
    keys = _keys(uow, key, old)
    unreadable: list[int] = []
    done = 0
    for row in rows:
        stored = row.totp_secret or ""
        if sealed_under(stored, key) or (plain_only and is_sealed(stored)):
            continue
        opened = open_seed(keys, row.id, stored)
        if opened.seed is None:
            unreadable.append(row.id)
            continue
        uow.users.set_totp_secret(row, seal_seed(key, row.id, opened.seed))
        done += 1
        source = "plain" if opened.plain else opened.key_id
        detail = {"two_factor": "encrypted", "key_id": key.key_id, "from": source}
        uow.audit.append(
            [
                system_event(
                    interface,
                    Action.CHANGE,
                    "user",
                    row.id,
                    clinic_id=row.clinic_id,
                    detail=detail,
                )
            ]
        )
    if unreadable and not plain_only:
        ids = ", ".join(str(i) for i in unreadable)
        raise ConflictError(
            N_(
                "the two-factor secrets of users {ids} open with none of the keys "
                "given; nothing was changed: give their old key, or reset their "
                "two-factor sign-in",
                ids=ids,
            ),
            field="old_key",
        )
    return _count(key, rows, done)


def encrypt_totp_secrets(
    store: Store,
    key: SeedKey,
    old_keys: tuple[SeedKey, ...] = (),
    interface: Interface = Interface.CLI,
) -> TotpSecrets:
    """Encrypt every TOTP secret under ``key`` (plain ones, and ones under
    ``old_keys``), all or none; how they stand afterwards."""
    with store.unit_of_work(write=True) as uow:
        return _encrypt(uow, key, old_keys, interface, plain_only=False)


def encrypt_plain_totp_secrets(
    store: Store, key: SeedKey, interface: Interface = Interface.WEB
) -> TotpSecrets:
    """Encrypt the secrets still in plain text (those under another key, or not
    readable at all, stay as they are, and are counted); how they stand afterwards."""
    with store.unit_of_work() as uow:
        status = _count(key, uow.users.with_totp_secret(lock=False), 0)
    if status.plain == 0:
        return status
    with store.unit_of_work(write=True) as uow:
        return _encrypt(uow, key, (), interface, plain_only=True)
