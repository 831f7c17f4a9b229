"""Repositories of course plans, session notes and re-screen flags (clinic-scoped).

Build them on a unit of work's session: ``CoursePlans(uow.session)``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Exists, select, update
from sqlalchemy.orm import Session

from spinewise.store.courses_tables import (
    CoursePlanRow,
    RescreenFlagRow,
    SessionNoteRow,
)
from spinewise.store.tables import DecisionRow


class CoursePlans:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, **values: Any) -> CoursePlanRow:
        """Insert a plan; ``values`` are ``CoursePlanRow`` columns."""
        row = CoursePlanRow(**values)
        self._session.add(row)
        self._session.flush()
        return row

    def get(self, clinic_id: int, plan_id: int) -> CoursePlanRow | None:
        query = select(CoursePlanRow).where(
            CoursePlanRow.id == plan_id, CoursePlanRow.clinic_id == clinic_id
        )
        return self._session.scalar(query)

    def with_status(self, clinic_id: int, status: str) -> list[CoursePlanRow]:
        """The clinic's plans in ``status`` (e.g. every active plan), oldest first."""
        query = (
            select(CoursePlanRow)
            .where(CoursePlanRow.clinic_id == clinic_id, CoursePlanRow.status == status)
            .order_by(CoursePlanRow.id)
        )
        return list(self._session.scalars(query))

    def of_patient(self, clinic_id: int, patient_id: int) -> list[CoursePlanRow]:
        """Every plan of the patient, newest first."""
        query = (
            select(CoursePlanRow)
            .where(
                CoursePlanRow.clinic_id == clinic_id,
                CoursePlanRow.patient_id == patient_id,
            )
            .order_by(CoursePlanRow.id.desc())
        )
        return list(self._session.scalars(query))

    def set_status(
        self,
        clinic_id: int,
        plan_id: int,
        *,
        was: tuple[str, ...],
        **values: Any,
    ) -> bool:
        """Change status columns of a plan whose status is one of ``was``.

        Conditional, so two writers cannot both move the same plan; False when the
        plan had already left those statuses.
        """
        result = self._session.execute(
            update(CoursePlanRow)
            .where(
                CoursePlanRow.id == plan_id,
                CoursePlanRow.clinic_id == clinic_id,
                CoursePlanRow.status.in_(was),
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0) == 1)

    def refresh(self, row: CoursePlanRow) -> None:
        self._session.refresh(row)


class SessionNotes:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, **values: Any) -> SessionNoteRow:
        """Insert a signed version; ``values`` are ``SessionNoteRow`` columns."""
        row = SessionNoteRow(**values)
        self._session.add(row)
        self._session.flush()
        return row

    def get(self, clinic_id: int, note_id: int) -> SessionNoteRow | None:
        query = select(SessionNoteRow).where(
            SessionNoteRow.id == note_id, SessionNoteRow.clinic_id == clinic_id
        )
        return self._session.scalar(query)

    def versions(
        self, clinic_id: int, plan_id: int, session_number: int
    ) -> list[SessionNoteRow]:
        """Every version of one session's note, oldest first."""
        query = (
            select(SessionNoteRow)
            .where(
                SessionNoteRow.clinic_id == clinic_id,
                SessionNoteRow.plan_id == plan_id,
                SessionNoteRow.session_number == session_number,
            )
            .order_by(SessionNoteRow.version)
        )
        return list(self._session.scalars(query))

    def recorded(self, clinic_id: int, plan_ids: list[int]) -> set[tuple[int, int]]:
        """(plan id, session number) of every session recorded on these plans."""
        if not plan_ids:
            return set()
        query = select(SessionNoteRow.plan_id, SessionNoteRow.session_number).where(
            SessionNoteRow.clinic_id == clinic_id, SessionNoteRow.plan_id.in_(plan_ids)
        )
        return {(plan, number) for plan, number in self._session.execute(query)}

    def of_patient(self, clinic_id: int, patient_id: int) -> list[SessionNoteRow]:
        """Every version of every note of the patient, by plan, session, version."""
        query = (
            select(SessionNoteRow)
            .where(
                SessionNoteRow.clinic_id == clinic_id,
                SessionNoteRow.patient_id == patient_id,
            )
            .order_by(
                SessionNoteRow.plan_id,
                SessionNoteRow.session_number,
                SessionNoteRow.version,
            )
        )
        return list(self._session.scalars(query))


class RescreenFlags:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, **values: Any) -> RescreenFlagRow:
        row = RescreenFlagRow(**values)
        self._session.add(row)
        self._session.flush()
        return row

    def open_for(self, clinic_id: int, patient_id: int) -> list[RescreenFlagRow]:
        """Flags no screening of a later assessment has answered yet, oldest first."""
        query = (
            select(RescreenFlagRow)
            .where(
                RescreenFlagRow.clinic_id == clinic_id,
                RescreenFlagRow.patient_id == patient_id,
                ~_answered(),
            )
            .order_by(RescreenFlagRow.id)
        )
        return list(self._session.scalars(query))

    def open_in_clinic(self, clinic_id: int) -> list[RescreenFlagRow]:
        """Every open flag of the clinic (the re-screening work list), oldest first."""
        query = (
            select(RescreenFlagRow)
            .where(RescreenFlagRow.clinic_id == clinic_id, ~_answered())
            .order_by(RescreenFlagRow.id)
        )
        return list(self._session.scalars(query))


def _answered() -> Exists:
    """A decision exists on an assessment of the patient newer than the flag's."""
    return (
        select(DecisionRow.id)
        .where(
            DecisionRow.clinic_id == RescreenFlagRow.clinic_id,
            DecisionRow.patient_id == RescreenFlagRow.patient_id,
            DecisionRow.assessment_id > RescreenFlagRow.assessment_id,
        )
        .correlate(RescreenFlagRow)
        .exists()
    )
