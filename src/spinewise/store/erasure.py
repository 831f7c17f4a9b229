"""Erasing one patient's personal data in place (the service decides when and why).

Structured clinical facts (answers, scores, verdicts, dates, sessions' numbers and
pain scores) stay, so decisions can still be replayed and counts still add up; what
names or describes the person goes: name, birth date, e-mail, record number and
external identifiers are pseudonymised, every free text is replaced by ``ERASED``,
undelivered messages are cancelled and pending questionnaire links and due items
withdrawn. All in the caller's transaction.

Signed rows (assessments, decisions, session notes) are guarded by triggers; they let
an update through only while the patient's ``erasing`` flag is set, which this module
sets first and clears last, inside the same transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from spinewise.store.courses_tables import (
    CoursePlanRow,
    QuestionnaireLinkRow,
    SessionNoteRow,
)
from spinewise.store.endings import CourseEndingRow
from spinewise.store.fhir_imports import FhirImportRow, PatientIdentifierRow
from spinewise.store.outreach_tables import (
    ConsentRow,
    CourseReviewRow,
    DueItemRow,
    OutboxRow,
)
from spinewise.store.packing import pack_answers
from spinewise.store.schedule import SessionScheduleRow
from spinewise.store.tables import (
    AssessmentRow,
    ClearanceRow,
    DecisionRow,
    PatientRevisionRow,
    PatientRow,
)

ERASED = "[erased]"
_SOAP = ("subjective", "objective", "assessment", "plan")


def _erased(text: object) -> object:
    return ERASED if isinstance(text, str) and text else text


def scrub_assessment(document: dict[str, Any]) -> dict[str, Any]:
    """An assessment document without the physician's name (its only free text)."""
    clearance = document.get("clearance")
    if not isinstance(clearance, dict) or not clearance.get("physician"):
        return document
    return {**document, "clearance": {**clearance, "physician": ERASED}}


def scrub_session(record: dict[str, Any]) -> dict[str, Any]:
    """A session record without its free text (SOAP, deviations, event notes)."""
    soap = record.get("soap") or {}
    events = record.get("adverse_events") or []
    return {
        **record,
        "soap": {key: _erased(soap.get(key, "")) for key in _SOAP},
        "deviations": [ERASED for _ in record.get("deviations") or []],
        "adverse_events": [
            {**e, "description": _erased(e.get("description", ""))} for e in events
        ],
    }


class Erasure:
    """Erase one patient of one clinic: ``Erasure(session, clinic_id, patient_id)``."""

    def __init__(self, session: Session, clinic_id: int, patient_id: int) -> None:
        self._session = session
        self._clinic = clinic_id
        self._patient = patient_id

    def run(self, at: dt.datetime) -> None:
        """Pseudonymise the patient and scrub every row about them; flag cleared last."""
        self._patient_row(at, erasing=True)
        self._signed_rows()
        self._free_texts()
        self._messages(at)
        self._set(PatientRow, PatientRow.id, erasing=False)

    def _where(self, table: Any, key: Any = None) -> list[Any]:
        column = key if key is not None else table.patient_id
        return [table.clinic_id == self._clinic, column == self._patient]

    def _set(self, table: Any, key: Any = None, **values: Any) -> None:
        self._session.execute(
            update(table)
            .where(*self._where(table, key))
            .values(**values)
            .execution_options(synchronize_session=False)
        )

    def _patient_row(self, at: dt.datetime, *, erasing: bool) -> None:
        self._set(
            PatientRow,
            PatientRow.id,
            name=f"Erased patient {self._patient}",
            record_number=f"erased-{self._patient}",
            birth_date=None,
            email=None,
            search_key=f"erased-{self._patient}",
            erased_at=at,
            erasing=erasing,
        )
        self._set(
            PatientRevisionRow,
            previous={"record_number": ERASED, "name": ERASED, "birth_date": None},
        )
        identifiers = self._session.scalars(
            select(PatientIdentifierRow).where(*self._where(PatientIdentifierRow))
        )
        for row in identifiers:
            row.value = f"erased-{row.id}"
        imports = self._session.scalars(
            select(FhirImportRow).where(*self._where(FhirImportRow))
        )
        for imported in imports:  # the EHR's id of the resource points at the person
            imported.fhir_id = f"erased-{imported.id}"
        self._session.flush()

    def _signed_rows(self) -> None:
        for assessment in self._session.scalars(
            select(AssessmentRow).where(*self._where(AssessmentRow))
        ):
            assessment.answers = pack_answers(scrub_assessment(assessment.document))
        for decision in self._session.scalars(
            select(DecisionRow).where(*self._where(DecisionRow))
        ):
            decision.answers = pack_answers(scrub_assessment(decision.input))
        for note in self._session.scalars(
            select(SessionNoteRow).where(*self._where(SessionNoteRow))
        ):
            note.record = scrub_session(note.record)
            note.amendment_reason = _erased(note.amendment_reason)  # type: ignore[assignment]
        self._session.flush()

    def _free_texts(self) -> None:
        for table, columns in (
            (ClearanceRow, ("request_note", "reason")),
            (ConsentRow, ("note",)),
            (CourseReviewRow, ("resolution_note",)),
            (SessionScheduleRow, ("reason",)),
            (CourseEndingRow, ("note",)),
        ):
            for column in columns:
                self._session.execute(
                    update(table)
                    .where(*self._where(table), getattr(table, column) != "")
                    .values({column: ERASED})
                    .execution_options(synchronize_session=False)
                )

    def _messages(self, at: dt.datetime) -> None:
        self._set(OutboxRow, to_address=None, subject=ERASED, body=ERASED)
        self._session.execute(
            update(OutboxRow)
            .where(*self._where(OutboxRow), OutboxRow.status == "pending")
            .values(status="cancelled", last_error="patient erased")
            .execution_options(synchronize_session=False)
        )
        self._session.execute(
            delete(DueItemRow)
            .where(*self._where(DueItemRow), DueItemRow.response_id.is_(None))
            .execution_options(synchronize_session=False)
        )
        self._session.execute(
            update(QuestionnaireLinkRow)
            .where(
                *self._where(QuestionnaireLinkRow),
                QuestionnaireLinkRow.used_at.is_(None),
                QuestionnaireLinkRow.cancelled_at.is_(None),
            )
            .values(cancelled_at=at)
            .execution_options(synchronize_session=False)
        )


def last_clinical_day(
    session: Session, clinic_id: int, patient_id: int
) -> dt.date | None:
    """The last day anything clinical happened to the patient (None: nothing did)."""
    days: list[dt.date] = []
    for column, table in (
        (AssessmentRow.assessed_on, AssessmentRow),
        (SessionNoteRow.performed_on, SessionNoteRow),
        (CoursePlanRow.start_date, CoursePlanRow),
    ):
        found = session.scalar(
            select(func.max(column)).where(
                table.clinic_id == clinic_id, table.patient_id == patient_id
            )
        )
        if found is not None:
            days.append(found)
    return max(days) if days else None


def patients_kept(session: Session, clinic_id: int) -> list[tuple[int, dt.date]]:
    """(id, day registered) of every patient of the clinic not erased yet."""
    query = (
        select(PatientRow.id, PatientRow.created_at)
        .where(PatientRow.clinic_id == clinic_id, PatientRow.erased_at.is_(None))
        .order_by(PatientRow.id)
    )
    return [(key, created.date()) for key, created in session.execute(query)]
