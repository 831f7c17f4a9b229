"""Repository of the outbox: every message to a patient, its status and attempts.

``queue`` inserts unless the ``dedupe_key`` is already there (so a message is never
queued twice, even by two concurrent runs); ``claim`` takes due messages with a
conditional update, so two senders never send the same message.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from spinewise.store.outreach_tables import OutboxRow


class Outbox:
    def __init__(self, session: Session) -> None:
        self._session = session

    def queue(self, **values: Any) -> OutboxRow | None:
        """Insert a message; None when its ``dedupe_key`` is already queued."""
        existing = self._session.scalar(
            select(OutboxRow).where(OutboxRow.dedupe_key == values["dedupe_key"])
        )
        if existing is not None:
            return None
        row = OutboxRow(**values)
        try:
            with self._session.begin_nested():
                self._session.add(row)
                self._session.flush()
        except IntegrityError:
            return None
        return row

    def get(self, clinic_id: int, message_id: int) -> OutboxRow | None:
        return self._session.scalar(
            select(OutboxRow).where(
                OutboxRow.id == message_id, OutboxRow.clinic_id == clinic_id
            )
        )

    def of_clinic(self, clinic_id: int, limit: int = 200) -> list[OutboxRow]:
        return list(
            self._session.scalars(
                select(OutboxRow)
                .where(OutboxRow.clinic_id == clinic_id)
                .order_by(OutboxRow.id.desc())
                .limit(limit)
            )
        )

    def due_ids(self, now: dt.datetime, limit: int = 50) -> list[int]:
        return list(
            self._session.scalars(
                select(OutboxRow.id)
                .where(
                    OutboxRow.status == "pending",
                    OutboxRow.next_attempt_at <= now,
                    or_(
                        OutboxRow.claimed_until.is_(None), OutboxRow.claimed_until < now
                    ),
                )
                .order_by(OutboxRow.id)
                .limit(limit)
            )
        )

    def claim(self, message_id: int, now: dt.datetime, until: dt.datetime) -> bool:
        """Take one due message for sending; True only for the one sender that won."""
        result = self._session.execute(
            update(OutboxRow)
            .where(
                OutboxRow.id == message_id,
                OutboxRow.status == "pending",
                or_(OutboxRow.claimed_until.is_(None), OutboxRow.claimed_until < now),
            )
            .values(claimed_until=until)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0) == 1)

    def set(self, message_id: int, **values: Any) -> None:
        self._session.execute(
            update(OutboxRow)
            .where(OutboxRow.id == message_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
