"""The audit log: append and query, nothing else (the database refuses the rest)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select

from spinewise.store.audit_sink import AUDIT_INSERT
from spinewise.store.columns import utc_now
from spinewise.store.prepared import Statements
from spinewise.store.tables import AuditRow


@dataclass(frozen=True)
class AuditQuery:
    """Filters of an audit listing; ``None`` means any, except ``clinic_id``: None
    there selects the events of no clinic (operator actions, unknown usernames)."""

    clinic_id: int | None
    username: str | None = None
    patient_id: int | None = None
    action: str | None = None
    entity: str | None = None
    interface: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    limit: int = 100


class AuditLog:
    """The audit table in one unit of work: events appended with a prepared INSERT
    in the unit's transaction, queried with its session. In a reading unit of work
    (``deferred``) the events appended are kept, stamped with the time, for the unit
    to hand to the store's ``AuditWriter`` when it ends (store/audit_writer.py)."""

    def __init__(self, unit: Statements, *, deferred: bool = False) -> None:
        self._unit = unit
        self.deferred = deferred
        self.pending: list[dict[str, Any]] = []

    def append(self, events: list[dict[str, Any]]) -> None:
        """Insert audit events (``AuditRow`` columns) in one statement."""
        if not events:
            return
        if self.deferred:
            at = utc_now()
            self.pending += [{"at": at} | event for event in events]
            return
        at = utc_now()
        self._unit.insert_many(AUDIT_INSERT, [{"at": at} | event for event in events])

    def query(self, query: AuditQuery) -> list[AuditRow]:
        """Matching events, newest first: by the time each was stamped (``at``), then
        by id. Ids are the order events reached the table, which for the reads of
        a SQLite file is when their spool was imported (store/audit_spool.py)."""
        statement = select(AuditRow).where(
            AuditRow.clinic_id.is_(None)
            if query.clinic_id is None
            else AuditRow.clinic_id == query.clinic_id
        )
        equal = {
            AuditRow.username: query.username,
            AuditRow.action: query.action,
            AuditRow.entity: query.entity,
            AuditRow.interface: query.interface,
        }
        for column, value in equal.items():
            if value is not None:
                statement = statement.where(column == value)
        if query.patient_id is not None:
            statement = statement.where(
                or_(
                    AuditRow.patient_id == query.patient_id,
                    AuditRow.patient_ids.contains(f",{query.patient_id},"),
                )
            )
        if query.since is not None:
            statement = statement.where(AuditRow.at >= query.since)
        if query.until is not None:
            statement = statement.where(AuditRow.at < query.until)
        newest_first = (AuditRow.at.desc(), AuditRow.id.desc())
        statement = statement.order_by(*newest_first).limit(query.limit)
        return list(self._unit.session.scalars(statement))

    def count(self) -> int:
        """Every event of every clinic (for operators and tests)."""
        return (
            self._unit.session.scalar(select(func.count()).select_from(AuditRow)) or 0
        )
