"""Right of access: everything the clinic holds about one patient, as one document.

The document (``spinewise.patient-export/1``) gathers the patient's details and their
earlier versions, every assessment version, decision, clearance request and decision,
course plan, session note version and questionnaire response. Reading it is one
``export`` audit event (the parts are read in one unit of work). The audit trail
itself is not included: it describes the clinic's staff as much as the patient, and
the administrator reads it apart (docs/therapists/clinic-day.md#right-of-access).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from spinewise.errors import N_
from spinewise.i18n import DEFAULT_LANGUAGE
from spinewise.kb import KnowledgeBase
from spinewise.models import Decision
from spinewise.reports import render_access_pdf
from spinewise.screening import translate_decision
from spinewise.services.access.actors import CLINICIANS, Actor, require
from spinewise.services.audit import Action, log
from spinewise.services.convert import (
    assessment_record,
    clearance_record,
    decision_record,
    patient_record,
)
from spinewise.services.course.course_records import plan_record
from spinewise.services.unit import patient_of, unit
from spinewise.store import (
    CoursePlans,
    QuestionnaireResponses,
    SessionNotes,
    Store,
    utc_now,
)

EXPORT_SCHEMA = "spinewise.patient-export/1"


def _dump(items: list[Any]) -> list[Any]:
    return [item.model_dump(mode="json") for item in items]


def export_patient(
    store: Store, actor: Actor, patient_id: int, *, document_format: str = "json"
) -> dict[str, Any]:
    """Everything held about the patient (JSON-ready), audited as one export (the
    audit says in which format it left: ``json`` or ``pdf``)."""
    with unit(store, actor) as uow:
        require(actor, CLINICIANS, N_("export a patient's record"))
        row = patient_of(uow, actor, patient_id)
        clinic = actor.clinic_id
        assessments = uow.assessments.of_patient(clinic, row.id, limit=None)
        decisions = uow.decisions.of_patient(clinic, row.id)
        clearances = uow.clearances.of_patient(clinic, row.id)
        plans = CoursePlans(uow.session).of_patient(clinic, row.id)
        notes = SessionNotes(uow.session).of_patient(clinic, row.id)
        responses = QuestionnaireResponses(uow.session).of_patient(clinic, row.id)
        revisions = uow.patients.revisions(clinic, row.id)
        document: dict[str, Any] = {
            "schema": EXPORT_SCHEMA,
            "exported_at": utc_now().isoformat(),
            "exported_on": dt.date.today().isoformat(),
            "patient": patient_record(row).model_dump(mode="json"),
            "earlier_details": [
                {"until": r.changed_at.isoformat(), **r.previous} for r in revisions
            ],
            "assessments": _dump([assessment_record(a) for a in assessments]),
            "decisions": _dump([decision_record(d) for d in decisions]),
            "clearances": _dump([clearance_record(c, None) for c in clearances]),
            "course_plans": _dump([plan_record(p) for p in plans]),
            "session_notes": [_row(n) for n in notes],
            "questionnaire_responses": [_row(r) for r in responses],
        }
        log(
            uow, actor, Action.EXPORT, "patient", row.id, patient_id=row.id,
            detail={"schema": EXPORT_SCHEMA, "format": document_format},
        )  # fmt: skip
        return document


def export_patient_pdf(
    store: Store,
    actor: Actor,
    patient_id: int,
    *,
    language: str = DEFAULT_LANGUAGE,
    kb: KnowledgeBase | None = None,
) -> bytes:
    """Everything held about the patient as a readable PDF, in ``language`` (the
    clinician's), beside the JSON; audited as one export. With ``kb``, each stored
    decision's summary and finding messages read in ``language`` too, rewritten from
    its codes (the stored English stays the record, in the JSON)."""
    document = export_patient(store, actor, patient_id, document_format="pdf")
    if kb is not None and language != DEFAULT_LANGUAGE:
        document = _decisions_in(document, kb, language)
    with unit(store, actor, read=True) as uow:
        clinic = uow.clinics.get(actor.clinic_id)
        clinic_name = clinic.name if clinic is not None else "-"
    return render_access_pdf(document, clinic_name, language)


def _decisions_in(
    document: dict[str, Any], kb: KnowledgeBase, language: str
) -> dict[str, Any]:
    """The document with its decisions' words in ``language`` (codes unchanged)."""
    decisions = [
        {
            **record,
            "decision": translate_decision(
                Decision.model_validate(record["decision"]), kb, language
            ).model_dump(mode="json"),
        }
        for record in document["decisions"]
    ]
    return {**document, "decisions": decisions}


def _row(row: object) -> dict[str, Any]:
    """A stored row's columns as JSON-ready values."""
    table = getattr(row, "__table__")  # noqa: B009 - SQLAlchemy's mapped table
    values: dict[str, Any] = {}
    for column in table.columns:
        value = getattr(row, column.key)
        if isinstance(value, dt.date | dt.datetime):
            value = value.isoformat()
        values[column.key] = value
    return values
