"""Builders for the course tests: a cleared patient with a plan, session records."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.pg import World
from tests.services.builders import approve, assessed_patient

from spinewise import services
from spinewise.kb import KnowledgeBase
from spinewise.services import PlanRecord
from spinewise.store import Store

START = dt.date(2026, 11, 25)


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
