"""TOTP secrets encrypted at rest: nothing readable in the column, bound to their
row, and a secret that does not open refuses the sign-in (audited), never read as
a wrong code or as "no second factor"."""

from __future__ import annotations

import time

import pyotp
import pytest
from sqlalchemy import text
from tests.pg import PASSWORD, World

from spinewise import services
from spinewise.errors import ConflictError
from spinewise.services import Actor, Interface, SeedKey
from spinewise.services.access.totp_seeds import SeedProblem, open_seed, seal_seed
from spinewise.store import Store

KEY = SeedKey.derive("the operator's TOTP key, 32 characters or more")
OTHER_KEY = SeedKey.derive("another operator's key, also 32 characters long")


def stored_secret(store: Store, user_id: int) -> str:
    """The column as the database holds it (what a backup would hold)."""
    with store.unit_of_work() as uow:
        query = text("SELECT totp_secret FROM users WHERE id = :id")
        value = uow.session.execute(query, {"id": user_id}).scalar_one()
    assert isinstance(value, str)
    return value


def write_secret(store: Store, user_id: int, value: str) -> None:
    """Write the column behind the application's back (a tampered database)."""
    with store.unit_of_work(write=True) as uow:
        statement = text("UPDATE users SET totp_secret = :value WHERE id = :id")
        uow.session.execute(statement, {"value": value, "id": user_id})


def enrol(store: Store, actor: Actor, key: SeedKey = KEY) -> tuple[str, list[str]]:
    secret = services.start_enrolment(store, actor, key).secret
    codes = services.confirm_enrolment(store, actor, pyotp.TOTP(secret).now(), key)
    return secret, codes


def next_code(secret: str) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30)


def unreadable_refusals(store: Store, world: World) -> list[object]:
    failed = services.list_audit(
        store, world.admin_a, services.AuditFilter(action=services.Action.LOGIN_FAILED)
    )
    return [
        (e.username, (e.detail or {}).get("problem"))
        for e in failed
        if (e.detail or {}).get("second_factor") == "unreadable"
    ]


def test_a_seed_opens_only_with_its_key_and_for_its_own_row() -> None:
    sealed = seal_seed(KEY, 7, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    assert sealed.startswith(f"v1:{KEY.key_id}:")
    assert open_seed((KEY,), 7, sealed).seed == "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    assert open_seed((KEY,), 8, sealed).problem is SeedProblem.NOT_THIS_ROW
    assert open_seed((OTHER_KEY,), 7, sealed).problem is SeedProblem.WRONG_KEY
    assert open_seed((OTHER_KEY, KEY), 7, sealed).key_id == KEY.key_id
    assert open_seed((KEY,), 7, "v1:abc").problem is SeedProblem.MALFORMED
    assert open_seed((KEY,), 7, "not base32!").problem is SeedProblem.MALFORMED
    assert KEY.key.hex() not in repr(KEY)  # the key never shows in logs


def test_enrolment_stores_no_plain_secret(store: Store, world: World) -> None:
    enrolment = services.start_enrolment(store, world.physician_a, KEY)
    pending = stored_secret(store, world.physician_a.user_id)
    assert pending.startswith(f"v1:{KEY.key_id}:")
    assert enrolment.secret not in pending
    secret, _ = enrol(store, world.physician_a)
    stored = stored_secret(store, world.physician_a.user_id)
    assert stored.startswith(f"v1:{KEY.key_id}:") and secret not in stored


def test_sign_in_with_a_code_works_end_to_end(store: Store, world: World) -> None:
    secret, _ = enrol(store, world.physician_a)
    user_id = world.physician_a.user_id
    actor = services.complete_sign_in(
        store, user_id, next_code(secret), Interface.CLI, key=KEY
    )
    assert actor == world.physician_a.via(Interface.CLI)
    assert stored_secret(store, user_id).startswith(f"v1:{KEY.key_id}:")


def test_a_secret_copied_onto_another_users_row_is_refused_and_audited(
    store: Store, world: World
) -> None:
    secret, _ = enrol(store, world.physician_a)
    enrol(store, world.therapist_a)
    copied = stored_secret(store, world.physician_a.user_id)
    write_secret(store, world.therapist_a.user_id, copied)
    with pytest.raises(ConflictError) as caught:
        services.complete_sign_in(
            store, world.therapist_a.user_id, next_code(secret), Interface.WEB, key=KEY
        )
    assert caught.value.field == "code"
    assert "cannot be read with this server's key" in str(caught.value)
    assert unreadable_refusals(store, world) == [("therapist-a", "not_this_row")]


def test_a_wrong_key_fails_closed_recovery_codes_too_and_is_audited(
    store: Store, world: World
) -> None:
    secret, codes = enrol(store, world.physician_a)
    user_id = world.physician_a.user_id
    for code in (next_code(secret), codes[0]):
        with pytest.raises(ConflictError):
            services.complete_sign_in(
                store, user_id, code, Interface.WEB, key=OTHER_KEY
            )
    with pytest.raises(ConflictError):
        services.sign_in(
            store, "physician-a", PASSWORD, Interface.CLI, codes[1], key=OTHER_KEY
        )
    assert unreadable_refusals(store, world) == [("physician-a", "wrong_key")] * 3
    assert services.two_factor_enabled(store, world.physician_a) == (True, 10)
    assert services.complete_sign_in(store, user_id, codes[0], Interface.WEB, key=KEY)


def test_a_started_enrolment_under_another_key_is_started_again(
    store: Store, world: World
) -> None:
    services.start_enrolment(store, world.physician_a, OTHER_KEY)
    assert services.pending_enrolment(store, world.physician_a, KEY) is None
    with pytest.raises(ConflictError):
        services.confirm_enrolment(store, world.physician_a, "123456", KEY)
    secret, _ = enrol(store, world.physician_a)
    assert services.pending_enrolment(store, world.physician_a, KEY) is None
    assert secret


def test_a_plain_secret_from_before_encryption_works_once_and_is_encrypted(
    store: Store, world: World
) -> None:
    secret, _ = enrol(store, world.physician_a)
    user_id = world.physician_a.user_id
    write_secret(store, user_id, secret)
    actor = services.complete_sign_in(
        store, user_id, next_code(secret), Interface.WEB, key=KEY
    )
    assert actor is not None
    stored = stored_secret(store, user_id)
    assert stored.startswith(f"v1:{KEY.key_id}:") and secret not in stored


def test_a_code_without_the_key_is_a_programming_error(
    store: Store, world: World
) -> None:
    with pytest.raises(TypeError):
        services.sign_in(store, "physician-a", "any", Interface.CLI, "123456")
