"""Physician clearance: requested by a clinician, decided by a physician of the clinic.

A decision approves (optionally excluding modalities, optionally until a date) or
declines, with a free-text reason (required to decline or restrict). It applies to the
patient's current assessment version and counts from that assessment's day; recording
it re-screens that assessment in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field, model_validator

from spinewise.errors import N_, ConflictError, FieldProblem, InputError, at_field
from spinewise.kb import KnowledgeBase
from spinewise.models import Assessment, ClearanceStatus, Modality, Verdict, parse_model
from spinewise.screening import screen
from spinewise.services.access.actors import CLINICIANS, PHYSICIANS, Actor, require
from spinewise.services.audit import Action, log, log_reads
from spinewise.services.clinic.screening import (
    Screener,
    clearance_in_force,
    screen_and_store,
)
from spinewise.services.convert import (
    assessment_record,
    clearance_record,
    patient_record,
)
from spinewise.services.records import (
    AwaitingPhysician,
    ClearanceOutcome,
    ClearanceRecord,
)
from spinewise.services.unit import patient_of, unit
from spinewise.store import ClearanceRow, Store, StoredAssessment, UnitOfWork, utc_now

_PENDING = ClearanceStatus.PENDING.value


class ClearanceDecision(BaseModel):
    """What a physician decides."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    status: ClearanceStatus
    valid_until: dt.date | None = None
    excluded_modalities: list[Modality] = Field(default_factory=list)
    reason: str | None = Field(default=None, max_length=4000)

    @model_validator(mode="after")
    def _coherent(self) -> ClearanceDecision:
        if self.status is ClearanceStatus.PENDING:
            raise ValueError(
                at_field(
                    "status", N_("a decision is approved or declined, not pending")
                )
            )
        if len(set(self.excluded_modalities)) != len(self.excluded_modalities):
            raise ValueError(
                at_field("excluded_modalities", N_("a modality is listed twice"))
            )
        declined = self.status is ClearanceStatus.DECLINED
        if declined and self.excluded_modalities:
            raise ValueError(
                at_field(
                    "excluded_modalities",
                    N_(
                        "a decline excludes every modality; list exclusions only with an approval"
                    ),
                )
            )
        if (declined or self.excluded_modalities) and not self.reason:
            raise ValueError(
                at_field("reason", N_("required to decline or restrict; say why"))
            )
        return self


def _current(uow: UnitOfWork, actor: Actor, patient_id: int) -> StoredAssessment:
    current = uow.assessments.current(actor.clinic_id, patient_id)
    if current is None:
        raise ConflictError(
            N_(
                "patient {patient_id} has no assessment to clear yet",
                patient_id=patient_id,
            ),
            field="patient_id",
        )
    return current


def _pending_for(rows: list[ClearanceRow], assessment_id: int) -> ClearanceRow | None:
    return next(
        (r for r in rows if r.status == _PENDING and r.assessment_id == assessment_id),
        None,
    )


def request_clearance(
    store: Store, actor: Actor, patient_id: int, *, note: str | None = None
) -> ClearanceRecord:
    """Ask a physician to clear the patient's current assessment."""
    with unit(store, actor) as uow:
        require(actor, CLINICIANS, N_("request clearance"))
        patient_of(uow, actor, patient_id, lock=True)
        current = _current(uow, actor, patient_id)
        rows = uow.clearances.of_patient(actor.clinic_id, patient_id)
        if _pending_for(rows, current.id) is not None:
            raise ConflictError(
                N_(
                    "a clearance request for assessment {id} is already pending",
                    id=current.id,
                ),
                field="patient_id",
            )
        row = uow.clearances.add(
            clinic_id=actor.clinic_id,
            patient_id=patient_id,
            assessment_id=current.id,
            status=_PENDING,
            requested_by=actor.user_id,
            request_note=(note or "").strip()[:4000] or None,
            excluded_modalities=[],
        )
        log(uow, actor, Action.CREATE, "clearance", row.id, patient_id=patient_id)
        return clearance_record(row, None)


def _refuse_early_end(decision: ClearanceDecision, current: StoredAssessment) -> None:
    if decision.valid_until is not None and decision.valid_until < current.assessed_on:
        raise InputError(
            [
                FieldProblem(
                    "valid_until",
                    N_(
                        "{valid_until} is before the assessment of {assessed_on} it clears; allowed: on or after it",
                        valid_until=decision.valid_until,
                        assessed_on=current.assessed_on,
                    ),
                )
            ]
        )


def _decide(
    uow: UnitOfWork,
    actor: Actor,
    current: StoredAssessment,
    decision: ClearanceDecision,
) -> ClearanceRow:
    """Decide the pending request on ``current``, or record a decision unasked."""
    values = {
        "status": decision.status.value,
        "physician_id": actor.user_id,
        "decided_at": utc_now(),
        "valid_from": current.assessed_on,
        "valid_until": decision.valid_until,
        "excluded_modalities": [m.value for m in decision.excluded_modalities],
        "reason": decision.reason,
    }
    rows = uow.clearances.of_patient(actor.clinic_id, current.patient_id)
    pending = _pending_for(rows, current.id)
    if pending is not None:
        row = uow.clearances.decide(pending, **values)
    else:
        row = uow.clearances.add(
            clinic_id=actor.clinic_id,
            patient_id=current.patient_id,
            assessment_id=current.id,
            requested_by=None,
            **values,
        )
    log(
        uow,
        actor,
        Action.CHANGE if pending is not None else Action.CREATE,
        "clearance",
        row.id,
        patient_id=current.patient_id,
        detail={"status": row.status, "excluded": row.excluded_modalities},
    )
    return row


def record_clearance(
    store: Store,
    actor: Actor,
    patient_id: int,
    decision: ClearanceDecision | Mapping[str, object],
    kb: KnowledgeBase,
    *,
    screener: Screener = screen,
) -> ClearanceOutcome:
    """The physician's decision on the current assessment, and the re-screened result."""
    with unit(store, actor) as uow:
        require(actor, PHYSICIANS, N_("record a clearance"))
        if not isinstance(decision, ClearanceDecision):
            decision = parse_model(ClearanceDecision, decision)
        patient_of(uow, actor, patient_id, lock=True)
        current = _current(uow, actor, patient_id)
        _refuse_early_end(decision, current)
        row = _decide(uow, actor, current, decision)
        submitted = Assessment.model_validate(current.document)
        screened = screen_and_store(uow, actor, current, submitted, kb, screener)
        names = uow.users.names([actor.user_id])
        return ClearanceOutcome(
            clearance=clearance_record(row, names.get(actor.user_id)),
            screening=screened,
        )


def current_clearance(
    store: Store, actor: Actor, patient_id: int
) -> ClearanceRecord | None:
    """The clearance in force for the patient's current assessment, if any."""
    with unit(store, actor) as uow:
        require(actor, CLINICIANS, N_("read clearances"))
        patient_of(uow, actor, patient_id)
        current = uow.assessments.current(actor.clinic_id, patient_id)
        if current is None:
            return None
        found = clearance_in_force(uow, actor.clinic_id, patient_id, current.id)
        if found is not None:
            log_reads(uow, actor, "clearance", [(patient_id, found.id)])
        return found


def clearance_history(
    store: Store, actor: Actor, patient_id: int
) -> list[ClearanceRecord]:
    """Every clearance request and decision of the patient, newest first."""
    with unit(store, actor) as uow:
        require(actor, CLINICIANS, N_("read clearances"))
        patient_of(uow, actor, patient_id)
        rows = uow.clearances.of_patient(actor.clinic_id, patient_id)
        names = uow.users.names(r.physician_id for r in rows)
        log_reads(uow, actor, "clearance", [(patient_id, r.id) for r in rows])
        return [
            clearance_record(r, names.get(r.physician_id) if r.physician_id else None)
            for r in rows
        ]


def awaiting_physician(store: Store, actor: Actor) -> list[AwaitingPhysician]:
    """Pending requests on patients' current assessments, oldest request first."""
    with unit(store, actor) as uow:
        require(actor, CLINICIANS, N_("see the clearance queue"))
        pending = uow.clearances.with_status(actor.clinic_id, _PENDING)
        patients = uow.patients.by_ids(actor.clinic_id, {r.patient_id for r in pending})
        waiting: list[tuple[ClearanceRow, StoredAssessment]] = []
        for row in pending:
            current = uow.assessments.current(actor.clinic_id, row.patient_id)
            if current is not None and current.id == row.assessment_id:
                waiting.append((row, current))
        decisions = uow.decisions.latest_for(
            actor.clinic_id, [a.id for _, a in waiting]
        )
        log_reads(uow, actor, "clearance", [(r.patient_id, r.id) for r, _ in waiting])
        return [
            AwaitingPhysician(
                patient=patient_record(patients[row.patient_id]),
                clearance=clearance_record(row, None),
                assessment=assessment_record(current),
                verdict=(
                    Verdict(decisions[current.id].verdict)
                    if current.id in decisions
                    else None
                ),
            )
            for row, current in waiting
        ]
