"""Sign-in throttling kept in the database, so it holds across server processes.

Two rules, both counted from ``signin_failures`` rows:

* per account: after ``per_account`` failures of one username (within a day, from
  anywhere) each further attempt waits ``BASE_DELAY`` doubled per extra failure, at
  most ``MAX_DELAY``, counted from the last failure; a success clears them;
* per client address: ``per_address`` failures within ``window`` over at least
  ``usernames`` different usernames (password spraying) refuse further sign-in
  attempts from that address until the window has passed. Sessions already signed
  in from the address are not touched: a clinic behind one NAT keeps working.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from spinewise.config import Settings
from spinewise.store import SigninFailures, Store, utc_now

BASE_DELAY = dt.timedelta(seconds=30)
MAX_DELAY = dt.timedelta(minutes=15)
ACCOUNT_MEMORY = dt.timedelta(days=1)
UNKNOWN_ADDRESS = "?"


@dataclass(frozen=True)
class SigninPolicy:
    per_account: int = 5
    per_address: int = 30
    usernames: int = 5
    window: dt.timedelta = dt.timedelta(minutes=10)

    @classmethod
    def of(cls, settings: Settings) -> SigninPolicy:
        return cls(
            per_account=settings.signin_failures_per_account,
            per_address=settings.signin_failures_per_address,
            usernames=settings.signin_usernames_per_address,
            window=dt.timedelta(minutes=settings.signin_address_window_minutes),
        )


def account_key(username: str) -> str:
    """How a username is counted: trimmed, case-folded, at most 64 characters."""
    return username.strip().casefold()[:64]


def _address(address: str | None) -> str:
    return (address or UNKNOWN_ADDRESS)[:64]


def account_delay(failures: int, policy: SigninPolicy) -> dt.timedelta | None:
    """The wait after ``failures`` failures in a row of one account (None: no wait)."""
    extra = failures - policy.per_account
    if extra < 0:
        return None
    delay: dt.timedelta = BASE_DELAY * (2 ** min(extra, 16))
    return min(delay, MAX_DELAY)


def signin_wait(
    store: Store,
    username: str,
    address: str | None,
    policy: SigninPolicy,
    *,
    now: dt.datetime | None = None,
) -> int | None:
    """Seconds before this username may try again from this address, or None."""
    now = now or utc_now()
    with store.unit_of_work() as uow:
        failures = SigninFailures(uow.session)
        count, names, oldest = failures.from_address(
            _address(address), now - policy.window
        )
        mine = failures.of_username(account_key(username), now - ACCOUNT_MEMORY)
    waits: list[dt.timedelta] = []
    if count >= policy.per_address and names >= policy.usernames and oldest:
        waits.append(oldest + policy.window - now)
    delay = account_delay(len(mine), policy)
    if delay is not None and mine:
        waits.append(mine[-1] + delay - now)
    longest = max(waits, default=dt.timedelta(0))
    if longest <= dt.timedelta(0):
        return None
    return max(1, math.ceil(longest.total_seconds()))


def record_signin_failure(
    store: Store,
    username: str,
    address: str | None,
    policy: SigninPolicy,
    *,
    now: dt.datetime | None = None,
) -> None:
    """Count a failed sign-in (and forget failures older than every rule looks)."""
    now = now or utc_now()
    with store.unit_of_work(write=True) as uow:
        failures = SigninFailures(uow.session)
        failures.add(account_key(username), _address(address), now)
        failures.delete_before(now - max(ACCOUNT_MEMORY, policy.window))


def clear_signin_failures(store: Store, username: str) -> None:
    """After a successful sign-in the account's count starts again (the address's
    count stays: a sprayer who guesses one password is still a sprayer)."""
    with store.unit_of_work(write=True) as uow:
        SigninFailures(uow.session).clear_username(account_key(username))
