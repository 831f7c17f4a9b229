"""Submitting, amending and reading assessments; each submission is screened at once.

An assessment is immutable once submitted. An amendment is a new version with the same
number that names the version it amends; the original stays. Writers on one patient
are serialised (patient row lock; SQLite's writer lock) and a unique constraint on
(patient, number, version) backs that up: a writer that loses the race retries with
the next version, so no amendment is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from spinewise.errors import N_, NotFoundError
from spinewise.kb import KnowledgeBase
from spinewise.models import Assessment, parse_model
from spinewise.screening import screen
from spinewise.services.access.actors import CLINICIANS, Actor, require
from spinewise.services.audit import Action, log, log_reads
from spinewise.services.clinic.carry import carry_clearance
from spinewise.services.clinic.screening import Screener, screen_and_store
from spinewise.services.convert import assessment_record
from spinewise.services.records import AssessmentRecord, ScreeningResult
from spinewise.services.unit import (
    check_standing,
    patient_of,
    reading,
    retrying,
    unit,
)
from spinewise.store import Store, StoredAssessment, UnitOfWork

AssessmentInput = Mapping[str, object] | Assessment
_READ_ASSESSMENTS = N_("read assessments")  # the role check's action, made once


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


@dataclass(frozen=True)
class _Slot:
    """Where a new assessment version goes: a new number, or the next version of one."""

    patient_id: int
    number: int
    version: int
    amends: int | None = None


def _store(
    uow: UnitOfWork, actor: Actor, slot: _Slot, assessment: Assessment
) -> StoredAssessment:
    row = uow.assessments.add(
        clinic_id=actor.clinic_id,
        patient_id=slot.patient_id,
        number=slot.number,
        version=slot.version,
        amends_id=slot.amends,
        assessed_on=assessment.assessed_on,
        document=assessment.to_contract(),
        submitted_by=actor.user_id,
    )
    detail = {"number": slot.number, "version": slot.version}
    if slot.amends is not None:
        detail["amends"] = slot.amends
    log(
        uow,
        actor,
        Action.CREATE,
        "assessment",
        row.id,
        patient_id=slot.patient_id,
        detail=detail,
    )
    return row


def _store_and_screen(
    store: Store,
    actor: Actor,
    doing: str,
    data: AssessmentInput,
    file: str | None,
    place: Callable[[UnitOfWork], _Slot],
    kb: KnowledgeBase,
    screener: Screener,
) -> ScreeningResult:
    """The unit of work of a submission and of an amendment: check the role, parse,
    lock the patient and pick the slot (``place``), store the version (audited),
    carry a clearance to a new number, screen it; retried when a writer raced."""

    def attempt() -> ScreeningResult:
        with unit(store, actor) as uow:
            require(actor, CLINICIANS, doing)
            assessment = _parse(data, file)
            slot = place(uow)
            row = _store(uow, actor, slot, assessment)
            if slot.amends is None:
                carry_clearance(uow, actor, row, assessment, kb)
            decision = screen_and_store(uow, actor, row, assessment, kb, screener)
            return ScreeningResult(
                assessment=_record(row, assessment), decision=decision
            )

    return retrying(attempt)


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

    def place(uow: UnitOfWork) -> _Slot:
        patient = patient_of(uow, actor, patient_id, lock=True)
        return _Slot(patient.id, uow.assessments.last_number(patient.id) + 1, 1)

    return _store_and_screen(
        store,
        actor,
        N_("submit assessments"),
        data,
        file,
        place,
        kb,
        screener,
    )


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

    def place(uow: UnitOfWork) -> _Slot:
        base = uow.assessments.get(actor.clinic_id, assessment_id)
        if base is None:
            raise NotFoundError(N_("assessment"), assessment_id)
        patient_of(uow, actor, base.patient_id, lock=True)
        version = uow.assessments.last_version(base.patient_id, base.number) + 1
        return _Slot(base.patient_id, base.number, version, amends=base.id)

    return _store_and_screen(
        store,
        actor,
        N_("amend assessments"),
        data,
        file,
        place,
        kb,
        screener,
    )


def get_assessment(store: Store, actor: Actor, assessment_id: int) -> AssessmentRecord:
    """One stored assessment version of the actor's clinic."""
    with reading(store, actor, checks_standing=True, one_statement=True) as uow:
        standing, row = uow.assessments.get_as(
            actor.user_id, actor.clinic_id, assessment_id
        )
        check_standing(standing, actor)
        require(actor, CLINICIANS, _READ_ASSESSMENTS)
        if row is None:
            raise NotFoundError(N_("assessment"), assessment_id)
        log_reads(uow, actor, "assessment", [(row.patient_id, row.id)])
        return assessment_record(row)


def latest_assessments(
    store: Store, actor: Actor, patient_id: int, *, limit: int | None = 5
) -> list[AssessmentRecord]:
    """The patient's latest assessment versions, newest first (all when limit=None)."""
    with reading(store, actor) as uow:
        require(actor, CLINICIANS, _READ_ASSESSMENTS)
        if not uow.patients.exists(actor.clinic_id, patient_id):
            raise NotFoundError(N_("patient"), patient_id)
        rows = uow.assessments.of_patient(actor.clinic_id, patient_id, limit=limit)
        log_reads(uow, actor, "assessment", [(patient_id, r.id) for r in rows])
        return [assessment_record(r) for r in rows]
