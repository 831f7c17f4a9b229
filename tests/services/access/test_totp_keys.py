"""Encrypting every TOTP secret under the key in force: plain secrets from before
encryption and secrets under an old key, all or none, audited, safe to run twice;
codes from the same authenticator app keep working after it."""

from __future__ import annotations

import pytest
from tests.pg import World
from tests.services.access.test_totp_seeds import (
    KEY,
    OTHER_KEY,
    enrol,
    next_code,
    stored_secret,
    write_secret,
)

from spinewise import services
from spinewise.config import Settings
from spinewise.errors import ConflictError
from spinewise.services import Interface, SeedKey
from spinewise.store import InstanceSecrets, Store

NEW_KEY = SeedKey.derive("the new TOTP key after a rotation, 32+ characters")


def test_plain_secrets_are_encrypted_once_and_a_second_run_changes_nothing(
    store: Store, world: World
) -> None:
    secret_a, _ = enrol(store, world.physician_a)
    secret_b, _ = enrol(store, world.therapist_a)
    write_secret(store, world.physician_a.user_id, secret_a)
    write_secret(store, world.therapist_a.user_id, secret_b)
    before = services.totp_secrets_status(store, KEY)
    assert (before.current, before.plain, before.other_key) == (0, 2, 0)
    first = services.encrypt_totp_secrets(store, KEY)
    assert (first.current, first.plain, first.encrypted_now) == (2, 0, 2)
    stored = stored_secret(store, world.physician_a.user_id)
    assert stored.startswith(f"v1:{KEY.key_id}:") and secret_a not in stored
    again = services.encrypt_totp_secrets(store, KEY)
    assert (again.current, again.plain, again.encrypted_now) == (2, 0, 0)
    assert stored_secret(store, world.physician_a.user_id) == stored
    changes = services.list_audit(
        store, world.admin_a, services.AuditFilter(action=services.Action.CHANGE)
    )
    encrypted = [
        e for e in changes if (e.detail or {}).get("two_factor") == "encrypted"
    ]
    assert {(e.entity_id, e.detail["from"]) for e in encrypted if e.detail} == {
        (str(world.physician_a.user_id), "plain"),
        (str(world.therapist_a.user_id), "plain"),
    }


def test_the_step_is_all_or_nothing(store: Store, world: World) -> None:
    secret_a, _ = enrol(store, world.physician_a)
    enrol(store, world.therapist_a, OTHER_KEY)
    write_secret(store, world.physician_a.user_id, secret_a)
    with pytest.raises(ConflictError) as caught:
        services.encrypt_totp_secrets(store, KEY)
    assert str(world.therapist_a.user_id) in str(caught.value)
    assert caught.value.field == "old_key"
    assert stored_secret(store, world.physician_a.user_id) == secret_a  # unchanged
    status = services.totp_secrets_status(store, KEY)
    assert (status.current, status.plain, status.other_key) == (0, 1, 1)


def test_at_start_plain_secrets_are_encrypted_and_the_others_only_counted(
    store: Store, world: World
) -> None:
    secret_a, _ = enrol(store, world.physician_a)
    enrol(store, world.therapist_a, OTHER_KEY)
    write_secret(store, world.physician_a.user_id, secret_a)
    status = services.encrypt_plain_totp_secrets(store, KEY)
    assert (status.current, status.plain, status.other_key) == (1, 0, 1)
    assert status.encrypted_now == 1
    again = services.encrypt_plain_totp_secrets(store, KEY)
    assert again.encrypted_now == 0


def test_a_rotation_re_encrypts_and_the_apps_codes_still_work(
    store: Store, world: World
) -> None:
    secret, codes = enrol(store, world.physician_a)
    user_id = world.physician_a.user_id
    rotated = services.encrypt_totp_secrets(store, NEW_KEY, (KEY,))
    assert (rotated.current, rotated.other_key, rotated.encrypted_now) == (1, 0, 1)
    assert stored_secret(store, user_id).startswith(f"v1:{NEW_KEY.key_id}:")
    with pytest.raises(ConflictError):  # the old key no longer opens it
        services.complete_sign_in(store, user_id, codes[0], Interface.WEB, key=KEY)
    actor = services.complete_sign_in(
        store, user_id, next_code(secret), Interface.WEB, key=NEW_KEY
    )
    assert actor is not None
    assert services.complete_sign_in(
        store, user_id, codes[0], Interface.WEB, key=NEW_KEY
    )


def test_the_databases_development_secret_is_tried_as_an_old_key(
    store: Store, world: World
) -> None:
    development = services.totp_key(store, Settings(database_url="sqlite://"))
    with store.unit_of_work() as uow:
        stored = InstanceSecrets(uow.session).get("signing")
    assert stored is not None and development == SeedKey.derive(stored)
    secret, _ = enrol(store, world.physician_a, development)
    operator = Settings(database_url="sqlite://", totp_key="x" * 40)
    key = services.totp_key(store, operator)
    assert key == SeedKey.derive("x" * 40)
    assert services.encrypt_totp_secrets(store, key).encrypted_now == 1
    user_id = world.physician_a.user_id
    code = next_code(secret)
    assert services.complete_sign_in(store, user_id, code, Interface.WEB, key=key)
