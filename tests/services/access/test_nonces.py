"""One-time values in the database: the first claim wins, in every process."""

from __future__ import annotations

import datetime as dt

from tests.pg import World

from spinewise.services import StoredJtis, claim_once
from spinewise.store import Store, open_store, utc_now


def test_a_value_is_claimed_once_until_it_expires(store: Store, world: World) -> None:
    now = utc_now()
    later = now + dt.timedelta(minutes=5)
    assert claim_once(store, "test", "abc", later, now=now)
    assert not claim_once(store, "test", "abc", later, now=now)
    assert claim_once(store, "other", "abc", later, now=now)
    assert claim_once(store, "test", "abc", later, now=later + dt.timedelta(seconds=1))


def test_a_second_process_on_the_database_refuses_a_replayed_jti(
    store: Store, database_url: str, world: World
) -> None:
    second = open_store(database_url)  # its own engine and connections
    try:
        now = utc_now()
        expires = now + dt.timedelta(minutes=5)
        assert StoredJtis(store).claim("jti-1", expires, now)
        assert not StoredJtis(second).claim("jti-1", expires, now)
        assert not StoredJtis(second).claim("x" * 300, expires, now)
    finally:
        second.dispose()
