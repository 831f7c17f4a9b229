"""The login throttle's sliding window and the API token cache, on a hand-driven clock."""

from __future__ import annotations

import pytest
from tests.web.accounts import ACCOUNTS

from spinewise.web import LoginThrottle
from spinewise.web.auth import TokenCache


class Clock:
    """A clock the test moves by hand (an injected seam, not a patch)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_key_is_refused_after_the_allowed_failures_inside_the_window() -> None:
    clock = Clock()
    throttle = LoginThrottle(3, clock=clock)
    for _ in range(3):
        assert throttle.retry_after("k") is None
        throttle.record_failure("k")
        clock.now += 1
    assert throttle.retry_after("k") == pytest.approx(57.0)


def test_failures_slide_out_of_the_window() -> None:
    clock = Clock()
    throttle = LoginThrottle(2, clock=clock)
    throttle.record_failure("k")
    clock.now += 30
    throttle.record_failure("k")
    assert throttle.retry_after("k") is not None
    clock.now += 30.5
    assert throttle.retry_after("k") is None


def test_keys_are_independent_and_a_reset_forgets() -> None:
    throttle = LoginThrottle(1, clock=Clock())
    throttle.record_failure("a")
    assert throttle.retry_after("a") is not None
    assert throttle.retry_after("b") is None
    throttle.reset("a")
    assert throttle.retry_after("a") is None


def test_the_key_ignores_case_and_spaces_of_the_username() -> None:
    assert LoginThrottle.key(" Alice ", "10.0.0.1") == LoginThrottle.key(
        "alice", "10.0.0.1"
    )
    assert LoginThrottle.key("alice", "10.0.0.1") != LoginThrottle.key(
        "alice", "10.0.0.2"
    )


def test_the_throttle_forgets_the_oldest_keys_beyond_its_bound() -> None:
    throttle = LoginThrottle(1, clock=Clock(), max_keys=2)
    for key in ("a", "b", "c"):
        throttle.record_failure(key)
    assert throttle.retry_after("a") is None
    assert throttle.retry_after("c") is not None


def test_a_throttle_needs_at_least_one_attempt() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        LoginThrottle(0)


def test_a_cached_token_expires_after_its_time_to_live() -> None:
    clock = Clock()
    cache = TokenCache(10, clock=clock)
    cache.put("token", ACCOUNTS["alice"])
    assert cache.get("token") is ACCOUNTS["alice"]
    assert cache.get("other") is None
    clock.now += 10
    assert cache.get("token") is None


def test_the_token_cache_is_bounded_and_can_be_cleared() -> None:
    cache = TokenCache(10, max_entries=2, clock=Clock())
    for name in ("alice", "bob", "charlie"):
        cache.put(name, ACCOUNTS[name])
    assert cache.get("alice") is None
    assert cache.get("charlie") is ACCOUNTS["charlie"]
    cache.clear()
    assert cache.get("charlie") is None
