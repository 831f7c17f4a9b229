"""A physician's approval on a new assessment: carried over, or asked for again.

When a new assessment is submitted and the patient's latest physician decision is an
approval of an earlier assessment, ``screening.clearance_carries_over`` decides. If
the approval carries over, a copy of it is recorded for the new assessment (same
physician, decision time, dates and exclusions; the note says where it came from).
Otherwise a clearance request is raised for the new assessment, its note naming every
answer or rule that asked for it. Both are audited. A decline is not touched: it
holds until the physician decides again (``screening.clearance_in_force``).
"""

from __future__ import annotations

from spinewise.kb import KnowledgeBase
from spinewise.models import Assessment, ClearanceStatus, described_fields
from spinewise.screening import CarryOver, clearance_carries_over
from spinewise.services.access.actors import Actor
from spinewise.services.audit import Action, log
from spinewise.store import ClearanceRow, StoredAssessment, UnitOfWork

_PENDING = ClearanceStatus.PENDING.value
_APPROVED = ClearanceStatus.APPROVED.value


def _labels() -> dict[str, str]:
    return {path: spec.label for path, spec in described_fields().items() if spec.label}


def _latest_decided(
    uow: UnitOfWork, actor: Actor, patient_id: int
) -> ClearanceRow | None:
    rows = uow.clearances.of_patient(actor.clinic_id, patient_id)
    decided = [r for r in rows if r.status != _PENDING]
    if not decided:
        return None
    return max(decided, key=lambda r: (r.decided_at or r.requested_at, r.id))


def carry_clearance(
    uow: UnitOfWork,
    actor: Actor,
    row: StoredAssessment,
    assessment: Assessment,
    kb: KnowledgeBase,
) -> CarryOver | None:
    """Carry the latest approval over to ``row`` or ask again (None: nothing to carry)."""
    latest = _latest_decided(uow, actor, row.patient_id)
    if latest is None or latest.status != _APPROVED or latest.assessment_id == row.id:
        return None
    earlier = uow.assessments.get(actor.clinic_id, latest.assessment_id)
    if earlier is None:
        return None
    before = Assessment.model_validate(earlier.document)
    result = clearance_carries_over(
        before, assessment, kb, latest.valid_until, _labels()
    )
    if result.carries:
        added = uow.clearances.add(
            clinic_id=actor.clinic_id,
            patient_id=row.patient_id,
            assessment_id=row.id,
            status=_APPROVED,
            requested_by=None,
            request_note=f"Carried over from assessment {earlier.number}: no safety "
            "answer got worse and no new rule applies.",
            physician_id=latest.physician_id,
            decided_at=latest.decided_at,
            valid_from=latest.valid_from,
            valid_until=latest.valid_until,
            excluded_modalities=list(latest.excluded_modalities),
            reason=latest.reason,
        )
        detail: dict[str, object] = {"carried_from": latest.id, "status": _APPROVED}
    else:
        note = "Clearance asked again: " + "; ".join(result.reasons) + "."
        added = uow.clearances.add(
            clinic_id=actor.clinic_id,
            patient_id=row.patient_id,
            assessment_id=row.id,
            status=_PENDING,
            requested_by=actor.user_id,
            request_note=note[:4000],
            excluded_modalities=[],
        )
        detail = {"asked_again_after": latest.id, "rules": result.rules}
    log(
        uow, actor, Action.CREATE, "clearance", added.id,
        patient_id=row.patient_id, detail=detail,
    )  # fmt: skip
    return result
