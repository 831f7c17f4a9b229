"""Submitting, amending and reading assessments; each submission is screened at once.

An assessment is immutable once submitted. An amendment is a new version with the same
number that names the version it amends; the original stays. Writers on one patient
are serialised (patient row lock; SQLite's writer lock) and a unique constraint on
(patient, number, version) backs that up: a writer that loses the race retries with
the next version, so no amendment is lost.
"""

from __future__ import annotations

from collections.abc import Mapping

from spinewise.errors import NotFoundError
from spinewise.kb import KnowledgeBase
from spinewise.models import Assessment, parse_model
from spinewise.screening import screen
from spinewise.services.access.actors import CLINICIANS, Actor, require
from spinewise.services.audit import Action, log, log_reads
from spinewise.services.clinic.carry import carry_clearance
from spinewise.services.clinic.screening import Screener, screen_and_store
from spinewise.services.convert import assessment_record
from spinewise.services.records import AssessmentRecord, ScreeningResult
from spinewise.services.unit import patient_of, reading, retrying, unit
from spinewise.store import Store, StoredAssessment, UnitOfWork

AssessmentInput = Mapping[str, object] | Assessment


def _parse(data: AssessmentInput, file: str | None) -> Assessment:
    if isinstance(data, Assessment):
        return data
    return parse_model(Assessment, data, file=file)


def _record(row: StoredAssessment, assessment: Assessment) -> AssessmentRecord:
    return AssessmentRecord(
        id=row.id,
        patient_id=row.patient_id,
        number=row.number,
        version=row.version,
        amends_id=row.amends_id,
        assessed_on=row.assessed_on,
        submitted_at=row.submitted_at,
        submitted_by=row.submitted_by,
        assessment=assessment,
    )


def _store(
    uow: UnitOfWork,
    actor: Actor,
    patient_id: int,
    assessment: Assessment,
    *,
    number: int,
    version: int,
    amends: int | None,
) -> StoredAssessment:
    row = uow.assessments.add(
        clinic_id=actor.clinic_id,
        patient_id=patient_id,
        number=number,
        version=version,
        amends_id=amends,
        assessed_on=assessment.assessed_on,
        document=assessment.to_contract(),
        submitted_by=actor.user_id,
    )
    detail = {"number": number, "version": version}
    if amends is not None:
        detail["amends"] = amends
    log(
        uow,
        actor,
        Action.CREATE,
        "assessment",
        row.id,
        patient_id=patient_id,
        detail=detail,
    )
    return row


def submit_assessment(
    store: Store,
    actor: Actor,
    patient_id: int,
    data: AssessmentInput,
    kb: KnowledgeBase,
    *,
    screener: Screener = screen,
    file: str | None = None,
) -> ScreeningResult:
    """Store a new assessment for the patient and its decision, in one transaction."""

    def attempt() -> ScreeningResult:
        with unit(store, actor) as uow:
            require(actor, CLINICIANS, "submit assessments")
            assessment = _parse(data, file)
            patient = patient_of(uow, actor, patient_id, lock=True)
            number = uow.assessments.last_number(patient.id) + 1
            row = _store(
                uow,
                actor,
                patient.id,
                assessment,
                number=number,
                version=1,
                amends=None,
            )
            carry_clearance(uow, actor, row, assessment, kb)
            decision = screen_and_store(uow, actor, row, assessment, kb, screener)
            return ScreeningResult(
                assessment=_record(row, assessment), decision=decision
            )

    return retrying(attempt)


def amend_assessment(
    store: Store,
    actor: Actor,
    assessment_id: int,
    data: AssessmentInput,
    kb: KnowledgeBase,
    *,
    screener: Screener = screen,
    file: str | None = None,
) -> ScreeningResult:
    """Store a corrected version of an assessment (the original stays) and screen it."""

    def attempt() -> ScreeningResult:
        with unit(store, actor) as uow:
            require(actor, CLINICIANS, "amend assessments")
            assessment = _parse(data, file)
            base = uow.assessments.get(actor.clinic_id, assessment_id)
            if base is None:
                raise NotFoundError("assessment", assessment_id)
            patient_of(uow, actor, base.patient_id, lock=True)
            version = uow.assessments.last_version(base.patient_id, base.number) + 1
            row = _store(
                uow,
                actor,
                base.patient_id,
                assessment,
                number=base.number,
                version=version,
                amends=base.id,
            )
            decision = screen_and_store(uow, actor, row, assessment, kb, screener)
            return ScreeningResult(
                assessment=_record(row, assessment), decision=decision
            )

    return retrying(attempt)


def get_assessment(store: Store, actor: Actor, assessment_id: int) -> AssessmentRecord:
    """One stored assessment version of the actor's clinic."""
    with reading(store, actor) as uow:
        require(actor, CLINICIANS, "read assessments")
        row = uow.assessments.get(actor.clinic_id, assessment_id)
        if row is None:
            raise NotFoundError("assessment", assessment_id)
        log_reads(uow, actor, "assessment", [(row.patient_id, row.id)])
        return assessment_record(row)


def latest_assessments(
    store: Store, actor: Actor, patient_id: int, *, limit: int | None = 5
) -> list[AssessmentRecord]:
    """The patient's latest assessment versions, newest first (all when limit=None)."""
    with reading(store, actor) as uow:
        require(actor, CLINICIANS, "read assessments")
        if not uow.patients.exists(actor.clinic_id, patient_id):
            raise NotFoundError("patient", patient_id)
        rows = uow.assessments.of_patient(actor.clinic_id, patient_id, limit=limit)
        log_reads(uow, actor, "assessment", [(patient_id, r.id) for r in rows])
        return [assessment_record(r) for r in rows]
