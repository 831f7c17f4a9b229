"""Screening stored assessments: the clearance in force is supplied, the decision kept.

The clearance the engine sees is the store's, never the submitted file's: the
physician's latest decision if it is a decline (a decline holds until a new decision,
whatever assessment follows), else the approval recorded for this very assessment
version, else a pending request for it, else none. An amendment supersedes an
approval; a new assessment too, unless ``carry.py`` carried the approval over to it
(or asked for it again, with the reasons). The engine guarantees that no clearance outvotes a
red flag or a contraindication.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from spinewise.errors import N_, ConflictError, NotFoundError
from spinewise.kb import KnowledgeBase
from spinewise.models import Assessment, ClearanceStatus, Decision
from spinewise.screening import screen
from spinewise.services.access.actors import CLINICIANS, Actor, require
from spinewise.services.audit import Action, log, log_reads
from spinewise.services.convert import clearance_record, decision_record
from spinewise.services.records import ClearanceRecord, DecisionRecord
from spinewise.services.unit import patient_of, unit
from spinewise.store import (
    ClearanceRow,
    ClearanceView,
    Store,
    StoredAssessment,
    UnitOfWork,
)

Screener = Callable[[Assessment, KnowledgeBase], Decision]
Clearance = TypeVar("Clearance", ClearanceRow, ClearanceView)
_PENDING = ClearanceStatus.PENDING.value
_DECLINED = ClearanceStatus.DECLINED.value


def clearance_in_force(
    uow: UnitOfWork, clinic_id: int, patient_id: int, assessment_id: int
) -> ClearanceRecord | None:
    """The clearance that applies to assessment version ``assessment_id``."""
    chosen = chosen_clearance(
        uow.clearances.of_patient(clinic_id, patient_id), assessment_id
    )
    if chosen is None:
        return None
    names = uow.users.names([chosen.physician_id])
    return clearance_record(
        chosen, names.get(chosen.physician_id) if chosen.physician_id else None
    )


def chosen_clearance(rows: Sequence[Clearance], assessment_id: int) -> Clearance | None:
    """Of a patient's clearances (newest first), the one in force for assessment
    version ``assessment_id`` (the module's docstring)."""
    decided = [r for r in rows if r.status != _PENDING]
    latest = (
        max(decided, key=lambda r: (r.decided_at or r.requested_at, r.id))
        if decided
        else None
    )
    chosen = None
    if latest is not None and (
        latest.status == _DECLINED or latest.assessment_id == assessment_id
    ):
        chosen = latest
    else:
        chosen = next(
            (
                r
                for r in rows
                if r.status == _PENDING and r.assessment_id == assessment_id
            ),
            None,
        )
    return chosen


def screen_and_store(
    uow: UnitOfWork,
    actor: Actor,
    row: StoredAssessment,
    submitted: Assessment,
    kb: KnowledgeBase,
    screener: Screener = screen,
) -> DecisionRecord:
    """Screen ``submitted`` (stored as ``row``) with its clearance; keep the decision."""
    clearance = clearance_in_force(uow, actor.clinic_id, row.patient_id, row.id)
    given = submitted.model_copy(
        update={"clearance": None if clearance is None else clearance.to_contract()}
    )
    decision = screener(given, kb)
    stored = uow.decisions.add(
        clinic_id=actor.clinic_id,
        patient_id=row.patient_id,
        assessment_id=row.id,
        verdict=decision.verdict.value,
        kb_version=decision.kb_version,
        engine_version=decision.engine_version,
        input=given.to_contract(),
        output=decision.to_contract(),
        created_by=actor.user_id,
    )
    log(
        uow,
        actor,
        Action.CREATE,
        "decision",
        stored.id,
        patient_id=row.patient_id,
        detail={"verdict": decision.verdict.value, "kb_version": decision.kb_version},
    )
    return DecisionRecord(
        id=stored.id,
        patient_id=row.patient_id,
        assessment_id=row.id,
        created_at=stored.created_at,
        created_by=actor.user_id,
        kb_version=decision.kb_version,
        engine_version=decision.engine_version,
        input=given,
        decision=decision,
    )


def screen_assessment(
    store: Store,
    actor: Actor,
    assessment_id: int,
    kb: KnowledgeBase,
    *,
    screener: Screener = screen,
) -> DecisionRecord:
    """Re-screen the patient's current assessment with the clearance now in force."""
    with unit(store, actor) as uow:
        require(actor, CLINICIANS, N_("screen assessments"))
        row = uow.assessments.get(actor.clinic_id, assessment_id)
        if row is None:
            raise NotFoundError(N_("assessment"), assessment_id)
        patient_of(uow, actor, row.patient_id, lock=True)
        current = uow.assessments.current(actor.clinic_id, row.patient_id)
        if current is not None and current.id != row.id:
            raise ConflictError(
                N_(
                    "assessment {assessment_id} is superseded by assessment {id}; screen the current one",
                    assessment_id=assessment_id,
                    id=current.id,
                ),
                field="assessment_id",
            )
        submitted = Assessment.model_validate(row.document)
        return screen_and_store(uow, actor, row, submitted, kb, screener)


def get_decision(store: Store, actor: Actor, decision_id: int) -> DecisionRecord:
    """One stored decision of the actor's clinic."""
    with unit(store, actor) as uow:
        require(actor, CLINICIANS, N_("read decisions"))
        row = uow.decisions.get(actor.clinic_id, decision_id)
        if row is None:
            raise NotFoundError(N_("decision"), decision_id)
        log_reads(uow, actor, "decision", [(row.patient_id, row.id)])
        return decision_record(row)


def decisions_of_patient(
    store: Store, actor: Actor, patient_id: int, *, limit: int = 20
) -> list[DecisionRecord]:
    """The patient's decisions, newest first."""
    with unit(store, actor) as uow:
        require(actor, CLINICIANS, N_("read decisions"))
        patient_of(uow, actor, patient_id)
        rows = uow.decisions.of_patient(actor.clinic_id, patient_id, limit=limit)
        log_reads(uow, actor, "decision", [(patient_id, r.id) for r in rows])
        return [decision_record(r) for r in rows]
