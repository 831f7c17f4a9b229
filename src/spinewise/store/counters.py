"""Counters per client address and time window, shared by every server process.

One row per (address, kind, window start) holds a count, bumped with one
``INSERT … ON CONFLICT DO UPDATE`` on SQLite and PostgreSQL alike, so two processes
count together and a flood of requests is one row, not one row per request. Rows of
windows long gone are deleted when a new window opens.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, String, UniqueConstraint, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from spinewise.store.columns import UtcDateTime, utc_now
from spinewise.store.tables import Base

KEEP = dt.timedelta(days=1)


class AddressCounterRow(Base):
    """How many requests of ``kind`` came from ``address`` in one window."""

    __tablename__ = "address_counters"
    __table_args__ = (UniqueConstraint("address", "kind", "window_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    window_start: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    count: Mapped[int] = mapped_column(Integer)


def window_of(at: dt.datetime, seconds: int) -> dt.datetime:
    """The start of the ``seconds``-long window ``at`` falls in (aligned to the epoch)."""
    stamp = int(at.timestamp())
    return dt.datetime.fromtimestamp(stamp - stamp % seconds, tz=dt.UTC)


class AddressCounters:
    def __init__(self, session: Session) -> None:
        self._session = session

    def bump(
        self, address: str, kind: str, seconds: int, at: dt.datetime | None = None
    ) -> tuple[int, dt.datetime]:
        """Count one more ``kind`` from ``address``: the window's count so far and
        the window's start."""
        start = window_of(at or utc_now(), seconds)
        values = {"address": address[:64], "kind": kind, "window_start": start}
        backend = self._session.get_bind().dialect.name
        dialect = postgresql if backend == "postgresql" else sqlite
        statement = (
            dialect.insert(AddressCounterRow)
            .values(**values, count=1)
            .on_conflict_do_update(
                index_elements=["address", "kind", "window_start"],
                set_={"count": AddressCounterRow.count + 1},
            )
            .returning(AddressCounterRow.count)
        )
        count = int(self._session.execute(statement).scalar_one())
        if count == 1:
            self._session.execute(
                delete(AddressCounterRow).where(
                    AddressCounterRow.window_start < start - KEEP
                )
            )
        return count, start

    def count(self, address: str, kind: str, window_start: dt.datetime) -> int:
        """The count of one window (0 when nothing came)."""
        query = select(AddressCounterRow.count).where(
            AddressCounterRow.address == address[:64],
            AddressCounterRow.kind == kind,
            AddressCounterRow.window_start == window_start,
        )
        return self._session.scalar(query) or 0
