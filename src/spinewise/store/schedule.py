"""Planned sessions moved from the plan's own dates (revision 0009d).

An issued plan is immutable, so its sessions' dates stay as issued; a change of date
(or a time set) is a row of ``session_schedule``, the newest per plan and session
number winning. Rows are only ever added, so the history of a session's dates is
kept; an erasure blanks their free-text reasons.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from spinewise.store.columns import UtcDateTime, utc_now
from spinewise.store.tables import Base


class SessionScheduleRow(Base):
    """One change of one planned session's date (and optional time, ``HH:MM``)."""

    __tablename__ = "session_schedule"
    __table_args__ = (
        ForeignKeyConstraint(
            ["patient_id", "clinic_id"], ["patients.id", "patients.clinic_id"]
        ),
        Index(None, "clinic_id", "plan_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"))
    patient_id: Mapped[int] = mapped_column(Integer)
    plan_id: Mapped[int] = mapped_column(ForeignKey("course_plans.id"))
    session_number: Mapped[int] = mapped_column(Integer)
    planned_on: Mapped[dt.date] = mapped_column(Date)
    planned_time: Mapped[str | None] = mapped_column(String(5))
    reason: Mapped[str] = mapped_column(Text)
    changed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    changed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))


class SessionSchedule:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, **values: Any) -> SessionScheduleRow:
        """Record a change; ``values`` are ``SessionScheduleRow`` columns."""
        row = SessionScheduleRow(**values)
        self._session.add(row)
        self._session.flush()
        return row

    def current(
        self, clinic_id: int, plan_ids: list[int]
    ) -> dict[tuple[int, int], SessionScheduleRow]:
        """The newest change of each (plan id, session number) of these plans."""
        if not plan_ids:
            return {}
        query = (
            select(SessionScheduleRow)
            .where(
                SessionScheduleRow.clinic_id == clinic_id,
                SessionScheduleRow.plan_id.in_(plan_ids),
            )
            .order_by(SessionScheduleRow.id)
        )
        return {(r.plan_id, r.session_number): r for r in self._session.scalars(query)}

    def history(self, clinic_id: int, plan_id: int) -> list[SessionScheduleRow]:
        """Every change of the plan's sessions, oldest first."""
        query = (
            select(SessionScheduleRow)
            .where(
                SessionScheduleRow.clinic_id == clinic_id,
                SessionScheduleRow.plan_id == plan_id,
            )
            .order_by(SessionScheduleRow.id)
        )
        return list(self._session.scalars(query))
