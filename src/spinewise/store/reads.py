"""Reads with no ORM: the hot assessment reads, an actor's standing, a patient's
existence, as prepared statements (store/prepared.py).

Each repository here runs on a ``Rows`` function (a prepared statement and its
parameters in, converted rows out), so the same read works in an ORM unit of work
(on its session's connection, in its transaction) and in a reading unit
(store/reading.py), straight on a driver connection with no ``Session`` at all.
Every query is scoped to a clinic, like every other repository's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import Session

from spinewise.store.prepared import Prepared
from spinewise.store.stored import BY_ID, OF_PATIENT, StoredAssessment, all_columns
from spinewise.store.tables import AssessmentRow, ClearanceRow, PatientRow, UserRow

Rows = Callable[[Prepared, Mapping[str, Any]], list[Sequence[Any]]]


def session_rows(session: Session) -> Rows:
    """``Rows`` in an ORM session's transaction."""

    def rows(query: Prepared, params: Mapping[str, Any]) -> list[Sequence[Any]]:
        return query.rows(session, params)

    return rows


class Standing(NamedTuple):
    """What a signed-in actor's permissions rest on, as stored now."""

    active: bool
    clinic_id: int
    role: str


class UserReads:
    def __init__(self, rows: Rows) -> None:
        self._read = rows

    def names(self, user_ids: Iterable[int]) -> dict[int, str]:
        """Display names by id (one read per user: lists here are short)."""
        named = {}
        for user_id in set(user_ids):
            found = self._read(_NAME, {"id": user_id})
            if found:
                named[user_id] = found[0][0]
        return named

    def standing(self, user_id: int) -> Standing | None:
        """The user's active flag, clinic and role (None for an unknown user)."""
        found = self._read(_STANDING, {"id": user_id})
        return Standing(bool(found[0][0]), found[0][1], found[0][2]) if found else None


class PatientReads:
    def __init__(self, rows: Rows) -> None:
        self._read = rows

    def id_by_record_number(self, clinic_id: int, record_number: str) -> int | None:
        """The id of ``clinic_id``'s patient with this record number, if any."""
        found = self._read(_BY_NUMBER, {"clinic": clinic_id, "number": record_number})
        return int(found[0][0]) if found else None

    def exists(self, clinic_id: int, patient_id: int) -> bool:
        """Whether the patient is one of ``clinic_id``'s."""
        return bool(self._read(_PATIENT, {"id": patient_id, "clinic": clinic_id}))


class ClearanceView(NamedTuple):
    """A ``ClearanceRow`` as read (the same attribute names)."""

    id: int
    clinic_id: int
    patient_id: int
    assessment_id: int
    status: str
    requested_by: int | None
    requested_at: dt.datetime
    request_note: str | None
    physician_id: int | None
    decided_at: dt.datetime | None
    valid_from: dt.date | None
    valid_until: dt.date | None
    excluded_modalities: list[str]
    reason: str | None


class ClearanceReads:
    def __init__(self, rows: Rows) -> None:
        self._read = rows

    def of_patient(self, clinic_id: int, patient_id: int) -> list[ClearanceView]:
        """Every clearance of the patient, newest first."""
        found = self._read(_CLEARANCES, {"clinic": clinic_id, "patient": patient_id})
        return [ClearanceView(*row) for row in found]


class AssessmentReads:
    """Assessment versions as ``StoredAssessment`` records."""

    def __init__(self, rows: Rows) -> None:
        self._read = rows

    def _records(
        self, query: Prepared, params: Mapping[str, int]
    ) -> list[StoredAssessment]:
        return [StoredAssessment._make(row) for row in self._read(query, params)]

    def get(self, clinic_id: int, assessment_id: int) -> StoredAssessment | None:
        found = self._records(_BY_ID, {"id": assessment_id, "clinic": clinic_id})
        return found[0] if found else None

    def get_as(
        self, user_id: int, clinic_id: int, assessment_id: int
    ) -> tuple[Standing | None, StoredAssessment | None]:
        """The reading user's standing and ``get(clinic_id, assessment_id)`` in one
        statement (the user's row, the assessment joined to it when there is one)."""
        found = self._read(
            _BY_ID_AS, {"user": user_id, "id": assessment_id, "clinic": clinic_id}
        )
        if not found:
            return None, None
        row = found[0]
        standing = Standing(bool(row[0]), row[1], row[2])
        return standing, None if row[3] is None else StoredAssessment._make(row[3:])

    def current(self, clinic_id: int, patient_id: int) -> StoredAssessment | None:
        """The latest version of the patient's latest assessment."""
        found = self.of_patient(clinic_id, patient_id, limit=1)
        return found[0] if found else None

    def of_patient(
        self, clinic_id: int, patient_id: int, *, limit: int | None = None
    ) -> list[StoredAssessment]:
        """Every version, newest first (latest number, then latest version)."""
        params = {"clinic": clinic_id, "patient": patient_id}
        query = _OF_PATIENT if limit is None else _LIMITED[limit]
        return self._records(query, params)


class _Limited(dict[int, Prepared]):
    """Prepared newest-first queries, one per limit asked for."""

    def __missing__(self, limit: int) -> Prepared:
        self[limit] = Prepared(OF_PATIENT.limit(limit))
        return self[limit]


_BY_ID = Prepared(BY_ID)
_OF_PATIENT = Prepared(OF_PATIENT)
_LIMITED = _Limited()
_STANDING = Prepared(
    select(UserRow.active, UserRow.clinic_id, UserRow.role).where(
        UserRow.id == bindparam("id")
    )
)
_BY_ID_AS = Prepared(
    select(UserRow.active, UserRow.clinic_id, UserRow.role, *all_columns())
    .select_from(UserRow)
    .outerjoin(
        AssessmentRow,
        and_(
            AssessmentRow.id == bindparam("id"),
            AssessmentRow.clinic_id == bindparam("clinic"),
        ),
    )
    .where(UserRow.id == bindparam("user"))
)
_NAME = Prepared(select(UserRow.display_name).where(UserRow.id == bindparam("id")))
_BY_NUMBER = Prepared(
    select(PatientRow.id).where(
        PatientRow.clinic_id == bindparam("clinic"),
        PatientRow.record_number == bindparam("number"),
    )
)
_CLEARANCES = Prepared(
    select(*(ClearanceRow.__table__.c[name] for name in ClearanceView._fields))
    .where(
        ClearanceRow.clinic_id == bindparam("clinic"),
        ClearanceRow.patient_id == bindparam("patient"),
    )
    .order_by(ClearanceRow.id.desc())
)
_PATIENT = Prepared(
    select(PatientRow.id).where(
        PatientRow.id == bindparam("id"), PatientRow.clinic_id == bindparam("clinic")
    )
)
