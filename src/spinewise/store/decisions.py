"""Repositories of screening decisions and physician clearances (clinic-scoped)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from spinewise.store.cohort_record import cohort_record
from spinewise.store.columns import utc_now
from spinewise.store.packing import pack_answers, pack_outcome
from spinewise.store.prepared import PreparedInsert, Statements
from spinewise.store.tables import AssessmentRow, ClearanceRow, DecisionRow, PatientRow

_INSERT = PreparedInsert(
    DecisionRow.__table__,  # type: ignore[arg-type]
    (
        "clinic_id",
        "patient_id",
        "assessment_id",
        "verdict",
        "kb_version",
        "engine_version",
        "created_at",
        "created_by",
        "answers",
        "outcome",
        "cohort",
        "cohort_lists",
    ),
)


class AddedDecision(NamedTuple):
    """What the database gave a decision just stored."""

    id: int
    created_at: dt.datetime


class Decisions:
    """Screening decisions: stored with a prepared INSERT in the unit's transaction,
    read with its ORM session."""

    def __init__(self, unit: Statements) -> None:
        self._unit = unit

    @property
    def _session(self) -> Session:
        return self._unit.session

    def add(
        self,
        *,
        clinic_id: int,
        patient_id: int,
        assessment_id: int,
        verdict: str,
        kb_version: str,
        engine_version: str,
        input: dict[str, Any],
        output: dict[str, Any],
        created_by: int,
    ) -> AddedDecision:
        created_at = utc_now()
        answers = pack_answers(input)
        record, lists = cohort_record(input, answers)
        key = self._unit.insert(
            _INSERT,
            {
                "clinic_id": clinic_id,
                "patient_id": patient_id,
                "assessment_id": assessment_id,
                "verdict": verdict,
                "kb_version": kb_version,
                "engine_version": engine_version,
                "created_at": created_at,
                "created_by": created_by,
                "answers": answers,
                "outcome": pack_outcome(output),
                "cohort": record,
                "cohort_lists": lists,
            },
        )
        return AddedDecision(key, created_at)

    def get(self, clinic_id: int, decision_id: int) -> DecisionRow | None:
        query = select(DecisionRow).where(
            DecisionRow.id == decision_id, DecisionRow.clinic_id == clinic_id
        )
        return self._session.scalar(query)

    def latest_for(
        self, clinic_id: int, assessment_ids: list[int]
    ) -> dict[int, DecisionRow]:
        """The newest decision of each assessment version named."""
        if not assessment_ids:
            return {}
        newest = (
            select(func.max(DecisionRow.id))
            .where(
                DecisionRow.clinic_id == clinic_id,
                DecisionRow.assessment_id.in_(assessment_ids),
            )
            .group_by(DecisionRow.assessment_id)
        )
        query = select(DecisionRow).where(DecisionRow.id.in_(newest))
        return {row.assessment_id: row for row in self._session.scalars(query)}

    def of_patient(
        self, clinic_id: int, patient_id: int, *, limit: int | None = None
    ) -> list[DecisionRow]:
        query = (
            select(DecisionRow)
            .where(
                DecisionRow.clinic_id == clinic_id,
                DecisionRow.patient_id == patient_id,
            )
            .order_by(DecisionRow.id.desc())
            .limit(limit)
        )
        return list(self._session.scalars(query))

    def newest_per_assessment(
        self, clinic_id: int, *, batch: int = 500
    ) -> Iterator[tuple[DecisionRow, AssessmentRow, PatientRow]]:
        """Every assessment version of the clinic with its newest decision, streamed."""
        newest = (
            select(func.max(DecisionRow.id))
            .where(DecisionRow.clinic_id == clinic_id)
            .group_by(DecisionRow.assessment_id)
        )
        query = (
            select(DecisionRow, AssessmentRow, PatientRow)
            .join(AssessmentRow, AssessmentRow.id == DecisionRow.assessment_id)
            .join(PatientRow, PatientRow.id == DecisionRow.patient_id)
            .where(DecisionRow.id.in_(newest))
            .order_by(
                DecisionRow.patient_id, AssessmentRow.number, AssessmentRow.version
            )
            .execution_options(yield_per=batch)
        )
        for row in self._session.execute(query):
            yield row.DecisionRow, row.AssessmentRow, row.PatientRow


class Clearances:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, **values: Any) -> ClearanceRow:
        """Insert a clearance; ``values`` are ``ClearanceRow`` columns."""
        row = ClearanceRow(**values)
        self._session.add(row)
        self._session.flush()
        return row

    def get(self, clinic_id: int, clearance_id: int) -> ClearanceRow | None:
        query = select(ClearanceRow).where(
            ClearanceRow.id == clearance_id, ClearanceRow.clinic_id == clinic_id
        )
        return self._session.scalar(query)

    def of_patient(self, clinic_id: int, patient_id: int) -> list[ClearanceRow]:
        """Every clearance of the patient, newest first."""
        query = (
            select(ClearanceRow)
            .where(
                ClearanceRow.clinic_id == clinic_id,
                ClearanceRow.patient_id == patient_id,
            )
            .order_by(ClearanceRow.id.desc())
        )
        return list(self._session.scalars(query))

    def decide(self, row: ClearanceRow, **values: Any) -> ClearanceRow:
        """Record the physician's decision on ``row`` (``ClearanceRow`` columns)."""
        for name, value in values.items():
            setattr(row, name, value)
        self._session.flush()
        return row

    def with_status(self, clinic_id: int, status: str) -> list[ClearanceRow]:
        query = (
            select(ClearanceRow)
            .where(ClearanceRow.clinic_id == clinic_id, ClearanceRow.status == status)
            .order_by(ClearanceRow.requested_at, ClearanceRow.id)
        )
        return list(self._session.scalars(query))
