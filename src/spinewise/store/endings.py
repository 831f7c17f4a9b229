"""Courses ended before their last planned session (revision 0010t).

One row per ended plan (the plan's status becomes ``completed``): how it ended
(completed early or discontinued), the reason code, an optional note, the day and who
ended it. Rows are only added; an erasure blanks the note.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from spinewise.store.columns import UtcDateTime, utc_now
from spinewise.store.courses_tables import CoursePlanRow, _of_patient, _one_of
from spinewise.store.tables import Base

ENDINGS = ("completed_early", "discontinued")


class CourseEndingRow(Base):
    """How and why one plan's course ended early."""

    __tablename__ = "course_endings"
    __table_args__ = (_of_patient(), _one_of("ending", ENDINGS, "ending_known"))

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"))
    patient_id: Mapped[int] = mapped_column(Integer)
    plan_id: Mapped[int] = mapped_column(ForeignKey("course_plans.id"), unique=True)
    ending: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    ended_on: Mapped[dt.date] = mapped_column(Date)
    ended_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    ended_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)


class CourseEndings:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self,
        plan: CoursePlanRow,
        *,
        ending: str,
        reason: str,
        note: str | None,
        ended_on: dt.date,
        ended_by: int,
    ) -> CourseEndingRow:
        row = CourseEndingRow(
            clinic_id=plan.clinic_id,
            patient_id=plan.patient_id,
            plan_id=plan.id,
            ending=ending,
            reason=reason,
            note=note,
            ended_on=ended_on,
            ended_by=ended_by,
        )
        self._session.add(row)
        self._session.flush()
        return row

    def of_plan(self, clinic_id: int, plan_id: int) -> CourseEndingRow | None:
        return self._session.scalar(
            select(CourseEndingRow).where(
                CourseEndingRow.clinic_id == clinic_id,
                CourseEndingRow.plan_id == plan_id,
            )
        )
