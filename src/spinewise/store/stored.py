"""What the assessment reads give: plain frozen records read with Core statements.

The hot reads (one assessment by id, a patient's newest versions) select the columns
with prebuilt Core statements and build a small immutable record per row, skipping the
ORM's identity map and instance state. The document is unpacked when asked for.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from sqlalchemy import Select, bindparam, select

from spinewise.store.packing import unpack_answers
from spinewise.store.tables import AssessmentRow


class StoredAssessment(NamedTuple):
    """One stored assessment version (the columns of ``assessments``); a named tuple,
    which is made in a seventh of a frozen dataclass's time (it is made per row read)."""

    id: int
    clinic_id: int
    patient_id: int
    number: int
    version: int
    amends_id: int | None
    assessed_on: dt.date
    submitted_at: dt.datetime
    submitted_by: int
    answers: str

    @property
    def document(self) -> dict[str, Any]:
        """The submitted contract document."""
        return unpack_answers(self.answers)


_COLUMNS = (
    AssessmentRow.id,
    AssessmentRow.clinic_id,
    AssessmentRow.patient_id,
    AssessmentRow.number,
    AssessmentRow.version,
    AssessmentRow.amends_id,
    AssessmentRow.assessed_on,
    AssessmentRow.submitted_at,
    AssessmentRow.submitted_by,
    AssessmentRow.answers,
)


def all_columns() -> tuple[Any, ...]:
    """The columns of ``assessments`` in ``StoredAssessment`` order."""
    return _COLUMNS


def assessment_columns() -> Select[Any]:
    """A SELECT of every column of ``assessments``, in ``StoredAssessment`` order."""
    return select(*_COLUMNS)


BY_ID = assessment_columns().where(
    AssessmentRow.id == bindparam("id"), AssessmentRow.clinic_id == bindparam("clinic")
)
NEWEST_FIRST = (AssessmentRow.number.desc(), AssessmentRow.version.desc())
OF_PATIENT = (
    assessment_columns()
    .where(
        AssessmentRow.clinic_id == bindparam("clinic"),
        AssessmentRow.patient_id == bindparam("patient"),
    )
    .order_by(*NEWEST_FIRST)
)


def stored_assessment(row: Any) -> StoredAssessment:
    """A record of one row selected with ``assessment_columns()``."""
    return StoredAssessment(*row)
