"""Revision 0011t (TOTP secrets encrypted at rest): the wider column goes back down
only when no secret is encrypted, since the older code cannot read one."""

from __future__ import annotations

import pytest

from spinewise.errors import StoreError
from spinewise.store import current_revision, downgrade, open_store, upgrade


def test_a_downgrade_is_refused_while_a_secret_is_encrypted(
    empty_database_url: str,
) -> None:
    store = open_store(empty_database_url)
    try:
        upgrade(store)
        with store.unit_of_work(write=True) as uow:
            clinic = uow.clinics.add("Solo")
            user = uow.users.add(
                clinic_id=clinic.id,
                username="boss",
                display_name="Boss",
                role="admin",
                password_hash="x",
            )
            uow.users.set_totp_secret(user, "v1:0123456789ab:" + "A" * 80)
            user_id = user.id
        with pytest.raises(StoreError, match="two-factor secrets are encrypted"):
            downgrade(store, "0010t")
        with store.unit_of_work(write=True) as uow:
            row = uow.users.get(user_id)
            assert row is not None
            uow.users.set_totp(row, secret=None, enabled=False, last_step=None)
        downgrade(store, "0010t")
        assert current_revision(store) == "0010t"
    finally:
        store.dispose()
