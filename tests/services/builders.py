"""Small builders for service tests: patients with assessments, physician decisions,
cleared patients with a course plan and their session records."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.factories import assessment_data
from tests.pg import World

from spinewise import services
from spinewise.kb import KnowledgeBase
from spinewise.services import Actor, ClearanceOutcome, PlanRecord, ScreeningResult
from spinewise.store import Store

START = dt.date(2026, 11, 25)
APPROVAL = {"status": "approved", "valid_until": "2026-12-31", "reason": "fine"}


def assessed_patient(
    store: Store,
    actor: Actor,
    kb: KnowledgeBase,
    record_number: str = "P-1",
    **sections: Any,
) -> ScreeningResult:
    """A new patient of the actor's clinic with one submitted, screened assessment."""
    patient = services.register_patient(
        store,
        actor,
        {"record_number": record_number, "name": f"Patient {record_number}"},
    )
    consent_to_everything(store, actor, patient.id)
    return services.submit_assessment(
        store, actor, patient.id, assessment_data(**sections), kb
    )


def consent_to_everything(store: Store, actor: Actor, patient_id: int) -> None:
    """The patient consents to treatment, data processing and contact at intake."""
    for kind in services.ConsentKind:
        services.record_consent(store, actor, patient_id, kind, given=True)


def approve(
    store: Store,
    physician: Actor,
    patient_id: int,
    kb: KnowledgeBase,
    **decision: Any,
) -> ClearanceOutcome:
    """The physician's decision (an approval until 2026-12-31 unless overridden)."""
    return services.record_clearance(
        store, physician, patient_id, {**APPROVAL, **decision}, kb
    )


def planned_patient(
    store: Store,
    world: World,
    kb: KnowledgeBase,
    suffix: str = "a",
    number: str = "P-1",
) -> PlanRecord:
    """A patient of clinic ``suffix``, screened, approved, with an active plan."""
    therapist = world.actors[f"therapist_{suffix}"]
    physician = world.actors[f"physician_{suffix}"]
    screened = assessed_patient(store, therapist, kb, record_number=number)
    patient_id = screened.assessment.patient_id
    approve(store, physician, patient_id, kb)
    return services.issue_plan(store, therapist, patient_id, kb, start_date=START)


def session_data(plan: PlanRecord, number: int = 1, **overrides: Any) -> dict[str, Any]:
    """A quiet session record of the plan's first course (every planned step done)."""
    course = plan.plan.courses[0]
    session = course.sessions[number - 1]
    data: dict[str, Any] = {
        "session_number": number,
        "performed_on": session.date.isoformat(),
        "modality": course.modality.value,
        "steps_done": [step.order for step in session.steps],
        "soap": {"subjective": "better", "plan": "continue"},
        "pain_nrs_before": 4,
        "pain_nrs_after": 3,
    }
    data.update(overrides)
    return data
