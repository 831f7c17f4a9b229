"""Repository of course reviews ("review before the next session"), clinic-scoped."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from spinewise.store.outreach_tables import CourseReviewRow


class CourseReviews:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, **values: Any) -> CourseReviewRow:
        row = CourseReviewRow(**values)
        self._session.add(row)
        self._session.flush()
        return row

    def get(self, clinic_id: int, review_id: int) -> CourseReviewRow | None:
        return self._session.scalar(
            select(CourseReviewRow).where(
                CourseReviewRow.id == review_id, CourseReviewRow.clinic_id == clinic_id
            )
        )

    def of_plan(self, clinic_id: int, plan_id: int) -> list[CourseReviewRow]:
        return list(
            self._session.scalars(
                select(CourseReviewRow)
                .where(
                    CourseReviewRow.clinic_id == clinic_id,
                    CourseReviewRow.plan_id == plan_id,
                )
                .order_by(CourseReviewRow.id)
            )
        )

    def of_patient(self, clinic_id: int, patient_id: int) -> list[CourseReviewRow]:
        return list(
            self._session.scalars(
                select(CourseReviewRow)
                .where(
                    CourseReviewRow.clinic_id == clinic_id,
                    CourseReviewRow.patient_id == patient_id,
                )
                .order_by(CourseReviewRow.id.desc())
            )
        )

    def resolve(self, row_id: int, **values: Any) -> bool:
        """Resolve an open review once (a conditional update); True if it won."""
        result = self._session.execute(
            update(CourseReviewRow)
            .where(CourseReviewRow.id == row_id, CourseReviewRow.resolved_at.is_(None))
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0) == 1)
