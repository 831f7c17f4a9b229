"""One-time values kept in the database: ``claim_once`` is True for the first claim
of a value only, in every process on the database (e.g. a CDS Hooks JWT's ``jti``).
"""

from __future__ import annotations

import datetime as dt

from spinewise.errors import ConflictError
from spinewise.store import Store, UsedNonces, utc_now

CDS_JTI = "cds-jti"


def claim_once(
    store: Store,
    kind: str,
    value: str,
    expires_at: dt.datetime,
    *,
    now: dt.datetime | None = None,
) -> bool:
    """Record that ``value`` (of ``kind``) is used until ``expires_at``; False when
    an unexpired claim of it exists already. The database's unique key decides a
    race between processes."""
    now = now or utc_now()
    try:
        with store.unit_of_work(write=True) as uow:
            nonces = UsedNonces(uow.session)
            nonces.delete_expired(now)
            if nonces.is_used(kind, value, now):
                return False
            nonces.add(kind, value, expires_at)
            return True
    except ConflictError:
        return False


class StoredJtis:
    """The CDS Hooks ``jti`` replay check on the database (``interop.JtiClaims``)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def claim(self, jti: str, expires: dt.datetime, now: dt.datetime) -> bool:
        if len(jti) > 255:
            return False
        return claim_once(self._store, CDS_JTI, jti, expires, now=now)
