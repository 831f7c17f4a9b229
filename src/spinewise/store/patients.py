"""Repositories of patients and assessment versions; every query is scoped to a clinic."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, and_, bindparam, func, or_, select
from sqlalchemy.orm import Session

from spinewise.store.columns import utc_now
from spinewise.store.packing import pack_answers
from spinewise.store.prepared import Prepared, PreparedInsert, Statements
from spinewise.store.reads import AssessmentReads, PatientReads, session_rows
from spinewise.store.search import ESCAPE, like_pattern, patient_search_key
from spinewise.store.stored import StoredAssessment
from spinewise.store.tables import AssessmentRow, PatientRevisionRow, PatientRow


class Patients(PatientReads):
    def __init__(self, session: Session) -> None:
        super().__init__(session_rows(session))
        self._session = session

    def add(
        self,
        *,
        clinic_id: int,
        record_number: str,
        name: str,
        birth_date: dt.date | None,
        created_by: int,
    ) -> PatientRow:
        row = PatientRow(
            clinic_id=clinic_id,
            record_number=record_number,
            name=name,
            birth_date=birth_date,
            created_by=created_by,
            search_key=patient_search_key(name, record_number, birth_date),
        )
        self._session.add(row)
        self._session.flush()
        return row

    def get(
        self, clinic_id: int, patient_id: int, *, lock: bool = False
    ) -> PatientRow | None:
        """The patient if it belongs to ``clinic_id``; ``lock`` holds it until commit.

        The lock (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's writer lock is
        already held by a writing unit of work) serialises writers on one patient.
        """
        query = select(PatientRow).where(
            PatientRow.id == patient_id, PatientRow.clinic_id == clinic_id
        )
        if lock:
            query = query.with_for_update()
        return self._session.scalar(query)

    def by_record_number(self, clinic_id: int, record_number: str) -> PatientRow | None:
        query = select(PatientRow).where(
            PatientRow.clinic_id == clinic_id,
            PatientRow.record_number == record_number,
        )
        return self._session.scalar(query)

    def of_clinic(
        self, clinic_id: int, *, limit: int = 100, offset: int = 0
    ) -> list[PatientRow]:
        query = (
            select(PatientRow)
            .where(PatientRow.clinic_id == clinic_id)
            .order_by(PatientRow.id)
            .limit(limit)
            .offset(offset)
        )
        return list(self._session.scalars(query))

    def _matching(self, clinic_id: int, query: str) -> Select[tuple[PatientRow]]:
        found = select(PatientRow).where(PatientRow.clinic_id == clinic_id)
        if query.strip():
            found = found.where(
                PatientRow.search_key.like(like_pattern(query), escape=ESCAPE)
            )
        return found

    def count(self, clinic_id: int, query: str = "") -> int:
        """How many of the clinic's patients match ``query`` (all when blank)."""
        matching = self._matching(clinic_id, query).subquery()
        return int(
            self._session.scalar(select(func.count()).select_from(matching)) or 0
        )

    def search(
        self,
        clinic_id: int,
        query: str = "",
        *,
        sort: str = "name",
        limit: int = 50,
        after: tuple[str, int] | None = None,
        offset: int = 0,
    ) -> list[PatientRow]:
        """A page of the clinic's patients matching ``query``, in ``sort`` order
        (name, record, recent), from after the keyset ``(sort value, id)`` or at
        ``offset``."""
        column = {
            "name": PatientRow.search_key,
            "record": PatientRow.record_number,
            "recent": PatientRow.created_at,
        }[sort]
        found = self._matching(clinic_id, query)
        if sort == "recent":
            if after is not None:
                found = found.where(PatientRow.id < after[1])
            found = found.order_by(PatientRow.id.desc())
        else:
            if after is not None:
                value, last = after
                found = found.where(
                    or_(column > value, and_(column == value, PatientRow.id > last))
                )
            found = found.order_by(column, PatientRow.id)
        return list(self._session.scalars(found.limit(limit).offset(offset)))

    def change(self, row: PatientRow, changed_by: int, **values: Any) -> None:
        """Change ``row``'s details, keeping what they were as a revision."""
        previous = {
            "record_number": row.record_number,
            "name": row.name,
            "birth_date": row.birth_date.isoformat() if row.birth_date else None,
        }
        self._session.add(
            PatientRevisionRow(
                clinic_id=row.clinic_id,
                patient_id=row.id,
                changed_by=changed_by,
                previous=previous,
            )
        )
        for name, value in values.items():
            setattr(row, name, value)
        row.search_key = patient_search_key(row.name, row.record_number, row.birth_date)
        self._session.flush()

    def revisions(self, clinic_id: int, patient_id: int) -> list[PatientRevisionRow]:
        """What the patient's details were before each edit, oldest first."""
        query = (
            select(PatientRevisionRow)
            .where(
                PatientRevisionRow.clinic_id == clinic_id,
                PatientRevisionRow.patient_id == patient_id,
            )
            .order_by(PatientRevisionRow.id)
        )
        return list(self._session.scalars(query))

    def by_ids(self, clinic_id: int, patient_ids: set[int]) -> dict[int, PatientRow]:
        if not patient_ids:
            return {}
        query = select(PatientRow).where(
            PatientRow.clinic_id == clinic_id, PatientRow.id.in_(patient_ids)
        )
        return {row.id: row for row in self._session.scalars(query)}


_INSERT = PreparedInsert(
    AssessmentRow.__table__,  # type: ignore[arg-type]
    (
        "clinic_id",
        "patient_id",
        "number",
        "version",
        "amends_id",
        "assessed_on",
        "submitted_at",
        "submitted_by",
        "answers",
    ),
)
_LAST_NUMBER = Prepared(
    select(func.max(AssessmentRow.number)).where(
        AssessmentRow.patient_id == bindparam("patient")
    )
)
_LAST_VERSION = Prepared(
    select(func.max(AssessmentRow.version)).where(
        AssessmentRow.patient_id == bindparam("patient"),
        AssessmentRow.number == bindparam("number"),
    )
)


class Assessments(AssessmentReads):
    """Assessment versions, written and read with prepared statements in the unit's
    transaction (no ORM); reads give ``StoredAssessment`` records."""

    def __init__(self, unit: Statements) -> None:
        super().__init__(unit.rows)
        self._unit = unit

    def add(
        self,
        *,
        clinic_id: int,
        patient_id: int,
        number: int,
        version: int,
        amends_id: int | None,
        assessed_on: dt.date,
        document: dict[str, Any],
        submitted_by: int,
    ) -> StoredAssessment:
        submitted_at, answers = utc_now(), pack_answers(document)
        key = self._unit.insert(
            _INSERT,
            {
                "clinic_id": clinic_id,
                "patient_id": patient_id,
                "number": number,
                "version": version,
                "amends_id": amends_id,
                "assessed_on": assessed_on,
                "submitted_at": submitted_at,
                "submitted_by": submitted_by,
                "answers": answers,
            },
        )
        return StoredAssessment(
            key,
            clinic_id,
            patient_id,
            number,
            version,
            amends_id,
            assessed_on,
            submitted_at,
            submitted_by,
            answers,
        )

    def last_number(self, patient_id: int) -> int:
        """The highest assessment number of the patient (0 when none)."""
        found = self._read(_LAST_NUMBER, {"patient": patient_id})
        return int(found[0][0] or 0)

    def last_version(self, patient_id: int, number: int) -> int:
        found = self._read(_LAST_VERSION, {"patient": patient_id, "number": number})
        return int(found[0][0] or 0)
