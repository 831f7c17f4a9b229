"""Sign-in throttling in the database: per account, and per address across accounts."""

from __future__ import annotations

import datetime as dt

from tests.pg import World

from spinewise.services import SigninPolicy, signin_wait
from spinewise.services.access.throttle import (
    account_delay,
    clear_signin_failures,
    record_signin_failure,
)
from spinewise.store import Store, utc_now

POLICY = SigninPolicy()


def test_the_account_delay_doubles_after_the_allowed_failures_up_to_a_cap() -> None:
    assert [account_delay(n, POLICY) for n in range(5)] == [None] * 5
    seconds = [account_delay(n, POLICY).total_seconds() for n in (5, 6, 7)]  # type: ignore[union-attr]
    assert seconds == [30, 60, 120]
    assert account_delay(1000, POLICY) == dt.timedelta(minutes=15)


def test_an_account_waits_after_five_failures_from_anywhere(
    store: Store, world: World
) -> None:
    for number in range(5):
        assert signin_wait(store, "therapist-a", "10.0.0.1", POLICY) is None
        record_signin_failure(store, "therapist-a", f"10.0.0.{number}", POLICY)
    wait = signin_wait(store, "Therapist-A ", "192.168.1.9", POLICY)
    assert wait is not None and 25 <= wait <= 30
    assert signin_wait(store, "physician-a", "10.0.0.1", POLICY) is None
    clear_signin_failures(store, "therapist-a")
    assert signin_wait(store, "therapist-a", "10.0.0.1", POLICY) is None


def test_spraying_many_accounts_from_one_address_stops_that_address_only(
    store: Store, world: World
) -> None:
    for number in range(30):
        record_signin_failure(store, f"user-{number % 6}", "203.0.113.5", POLICY)
    wait = signin_wait(store, "someone-new", "203.0.113.5", POLICY)
    assert wait is not None and 590 <= wait <= 600
    assert signin_wait(store, "someone-new", "203.0.113.6", POLICY) is None


def test_many_failures_of_few_accounts_are_not_spraying(
    store: Store, world: World
) -> None:
    for number in range(40):
        record_signin_failure(store, f"user-{number % 2}", "203.0.113.5", POLICY)
    assert signin_wait(store, "someone-new", "203.0.113.5", POLICY) is None


def test_failures_older_than_the_window_no_longer_count(
    store: Store, world: World
) -> None:
    long_ago = utc_now() - dt.timedelta(minutes=11)
    for number in range(30):
        record_signin_failure(
            store, f"user-{number % 6}", "203.0.113.5", POLICY, now=long_ago
        )
    assert signin_wait(store, "someone-new", "203.0.113.5", POLICY) is None
