"""What a session's stop decision does to the course, inside the note's transaction.

A decision that suspends the plan moves an active plan to ``suspended`` with the
reasons, and raises a re-screen flag (always, even when the plan was already suspended
or superseded: the patient must be re-screened either way). A decision that suspends
modalities (a skin event) adds them to the plan's suspended modalities. Nothing here
ever resumes a plan or a modality.
"""

from __future__ import annotations

from spinewise.models.session import StopDecision
from spinewise.services.access.actors import Actor
from spinewise.services.audit import Action, log
from spinewise.services.course.course_records import PlanStatus
from spinewise.store import (
    CoursePlanRow,
    CoursePlans,
    RescreenFlagRow,
    RescreenFlags,
    SessionNoteRow,
    UnitOfWork,
    utc_now,
)


def _why(note: SessionNoteRow, decision: StopDecision) -> str:
    reasons = "; ".join(f"{r.rule_id}: {r.trigger}" for r in decision.reasons)
    return f"session {note.session_number} (note {note.id}): {reasons}"


def _changes(
    plan: CoursePlanRow, note: SessionNoteRow, decision: StopDecision
) -> dict[str, object]:
    modalities = sorted(
        {*plan.suspended_modalities, *(m.value for m in decision.suspended_modalities)}
    )
    changes: dict[str, object] = {}
    if decision.suspend_plan and plan.status == PlanStatus.ACTIVE.value:
        changes = {
            "status": PlanStatus.SUSPENDED.value,
            "suspended_reason": _why(note, decision),
            "suspended_at": utc_now(),
        }
    if modalities != sorted(plan.suspended_modalities):
        changes["suspended_modalities"] = modalities
        changes.setdefault("suspended_reason", _why(note, decision))
    return changes


def _suspend(
    uow: UnitOfWork,
    actor: Actor,
    plan: CoursePlanRow,
    note: SessionNoteRow,
    decision: StopDecision,
) -> None:
    changes = _changes(plan, note, decision)
    plans = CoursePlans(uow.session)
    if not changes or not plans.set_status(
        actor.clinic_id, plan.id, was=(plan.status,), **changes
    ):
        return
    plans.refresh(plan)
    log(
        uow,
        actor,
        Action.CHANGE,
        "course_plan",
        plan.id,
        patient_id=plan.patient_id,
        detail={
            "status": plan.status,
            "suspended_modalities": plan.suspended_modalities,
            "session_note": note.id,
        },
    )


def apply_stop_decision(
    uow: UnitOfWork,
    actor: Actor,
    plan: CoursePlanRow,
    note: SessionNoteRow,
    decision: StopDecision,
) -> RescreenFlagRow | None:
    """Suspend the plan or modalities; raise the re-screen flag the decision asks."""
    _suspend(uow, actor, plan, note, decision)
    if not decision.rescreen_required:
        return None
    current = uow.assessments.current(actor.clinic_id, plan.patient_id)
    assert current is not None  # a plan exists, so a screened assessment does
    flag = RescreenFlags(uow.session).add(
        clinic_id=actor.clinic_id,
        patient_id=plan.patient_id,
        plan_id=plan.id,
        session_note_id=note.id,
        assessment_id=current.id,
        reasons=[r.model_dump(mode="json") for r in decision.reasons],
        raised_by=actor.user_id,
    )
    log(
        uow,
        actor,
        Action.CREATE,
        "rescreen_flag",
        flag.id,
        patient_id=plan.patient_id,
        detail={"rules": decision.rule_ids()},
    )
    return flag
