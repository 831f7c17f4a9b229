"""The API token cache answers from memory only while a fresh read would say the same."""

from __future__ import annotations

import datetime as dt
import time

from tests.pg import World

from spinewise import services
from spinewise.services import TokenCache
from spinewise.store import Store, open_store, utc_now


def _verified(cache: TokenCache, token: str) -> services.Actor | None:
    return cache.verify(token, cache.version())


def test_a_verified_token_is_known_from_memory_on_sqlite_only(
    store: Store, world: World
) -> None:
    issued = services.issue_api_token(store, world.therapist_a)
    cache = TokenCache(store)
    assert cache.known(issued.token) is None
    actor = _verified(cache, issued.token)  # writes its last use: a commit
    assert actor is not None and actor.user_id == world.therapist_a.user_id
    assert cache.known(issued.token) is None
    assert _verified(cache, issued.token) == actor
    expected = actor if store.backend == "sqlite" else None
    assert cache.known(issued.token) == expected


def test_a_revocation_by_another_process_is_seen_on_the_next_request(
    store: Store, world: World
) -> None:
    issued = services.issue_api_token(store, world.therapist_a)
    cache = TokenCache(store)
    _verified(cache, issued.token)
    _verified(cache, issued.token)
    other = open_store(str(store.url.render_as_string(hide_password=False)))
    try:
        services.revoke_api_token(other, world.admin_a, issued.id)
    finally:
        other.dispose()
    assert cache.known(issued.token) is None
    assert _verified(cache, issued.token) is None


def test_a_deactivated_user_is_forgotten_at_once(store: Store, world: World) -> None:
    issued = services.issue_api_token(store, world.therapist_a)
    cache = TokenCache(store)
    _verified(cache, issued.token)
    _verified(cache, issued.token)
    services.set_user_active(store, world.admin_a, world.therapist_a.user_id, False)
    assert cache.known(issued.token) is None
    assert _verified(cache, issued.token) is None


def test_a_token_is_not_known_past_its_expiry(store: Store, world: World) -> None:
    soon = utc_now() + dt.timedelta(seconds=1.5)
    issued = services.issue_api_token(store, world.therapist_a, expires_at=soon)
    cache = TokenCache(store)
    _verified(cache, issued.token)
    _verified(cache, issued.token)
    time.sleep(max(0.0, (soon - utc_now()).total_seconds()) + 0.1)
    assert cache.known(issued.token) is None
    assert _verified(cache, issued.token) is None


def test_an_invalid_token_is_never_remembered(store: Store) -> None:
    cache = TokenCache(store)
    for token in ("sw_not-a-token", "nonsense"):
        assert _verified(cache, token) is None
        assert cache.known(token) is None
