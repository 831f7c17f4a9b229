"""What anonymous clients may cost: a request rate per address, and refusals counted,
not logged one by one.

The patient's questionnaire link is the one page anyone can open. Each anonymous
request counts in its address's one-minute window (``address_counters``, shared by
every server process); past ``Settings.anonymous_requests_per_minute`` the web tier
answers 429 with ``Retry-After``. A refused link (unknown: 404, used or expired: 410)
is counted in a ten-minute window per address; only the first refusal of a window
writes an audit event, which says where the rest are counted.
"""

from __future__ import annotations

import datetime as dt
import math

from spinewise.store import AddressCounters, Store, UnitOfWork, utc_now

REQUEST_WINDOW = 60
REFUSAL_WINDOW = 600
REQUESTS = "anonymous_request"


def admit_anonymous(
    store: Store, address: str, per_minute: int, *, now: dt.datetime | None = None
) -> int | None:
    """Count one anonymous request of ``address``: None when it may go on, else the
    seconds until its window ends."""
    at = now or utc_now()
    with store.unit_of_work(write=True) as uow:
        count, start = AddressCounters(uow.session).bump(
            address, REQUESTS, REQUEST_WINDOW, at
        )
    if count <= per_minute:
        return None
    ends = start + dt.timedelta(seconds=REQUEST_WINDOW)
    return max(1, math.ceil((ends - at).total_seconds()))


def count_refusal(uow: UnitOfWork, address: str, kind: str) -> tuple[int, dt.datetime]:
    """Count one refusal of ``kind`` from ``address`` in its ten-minute window: the
    count so far (1 for the first, which alone is audited) and the window's start."""
    return AddressCounters(uow.session).bump(address, kind, REFUSAL_WINDOW)
