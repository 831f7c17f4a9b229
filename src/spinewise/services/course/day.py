"""A clinician's working day: planned sessions today and this week, re-screens due.

Read from the clinic's active course plans (each session's date in the schedule: the
plan's own or where it was moved, the sessions already recorded left out; a session
planned for several modalities is one visit on its earliest date) and the open
re-screen flags. A therapist sees the plans assigned to them, and apart, the plans
assigned to nobody (so no planned session drops out of sight); a physician sees all. Overdue sessions (planned before
today, not recorded) are listed too, so nothing planned drops out of sight. One audit
event covers the patients shown. Questionnaires due are added by the questionnaire
work (``DayView`` is where they belong).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict

from spinewise.errors import N_
from spinewise.services.access.actors import CLINICIANS, Actor, Role, require
from spinewise.services.audit import log_reads
from spinewise.services.convert import patient_record
from spinewise.services.course.schedule import schedule_of
from spinewise.services.records import PatientRecord
from spinewise.services.unit import unit
from spinewise.store import (
    CoursePlanRow,
    CoursePlans,
    RescreenFlags,
    SessionNotes,
    SessionSchedule,
    SessionScheduleRow,
    Store,
)

WEEK = 7


class PlannedVisit(BaseModel):
    """One planned session of one patient's course."""

    model_config = ConfigDict(frozen=True)

    patient: PatientRecord
    plan_id: int
    session_number: int
    date: dt.date
    modalities: list[str]
    time: str | None = None
    moved: bool = False


class DayView(BaseModel):
    """What a clinician's day holds (``overdue``: planned earlier, not recorded)."""

    model_config = ConfigDict(frozen=True)

    today: dt.date
    overdue: list[PlannedVisit]
    today_sessions: list[PlannedVisit]
    week_sessions: list[PlannedVisit]
    rescreens: list[PatientRecord]
    unassigned: list[PlannedVisit] = []
    """A therapist's view: sessions this week of plans nobody is assigned to."""


def _visits(
    plan: CoursePlanRow,
    recorded: set[tuple[int, int]],
    moves: dict[tuple[int, int], SessionScheduleRow],
    patient: PatientRecord,
) -> list[PlannedVisit]:
    names: dict[int, list[str]] = {}
    for course in plan.plan.get("courses", []):
        for session in course.get("sessions", []):
            names.setdefault(int(session["number"]), []).append(str(course["modality"]))
    return [
        PlannedVisit(
            patient=patient,
            plan_id=plan.id,
            session_number=number,
            date=planned.date,
            modalities=names[number],
            time=planned.time,
            moved=planned.moved,
        )
        for number, planned in schedule_of(plan, moves).items()
        if (plan.id, number) not in recorded
    ]


def _mine(actor: Actor, plans: list[CoursePlanRow]) -> tuple[list[Any], list[Any]]:
    """The plans the actor's day shows, and (for a therapist) nobody's plans."""
    if actor.role is not Role.THERAPIST:
        return plans, []
    own = [p for p in plans if p.therapist_id == actor.user_id]
    return own, [p for p in plans if p.therapist_id is None]


def _sorted_visits(
    rows: list[CoursePlanRow],
    recorded: set[tuple[int, int]],
    moves: dict[tuple[int, int], SessionScheduleRow],
    patients: dict[int, Any],
) -> list[PlannedVisit]:
    found = [
        visit
        for plan in rows
        for visit in _visits(
            plan, recorded, moves, patient_record(patients[plan.patient_id])
        )
    ]
    return sorted(
        found, key=lambda v: (v.date, v.time or "", v.patient.name, v.session_number)
    )


def day_view(store: Store, actor: Actor, today: dt.date) -> DayView:
    """Planned sessions (overdue, today, the next six days) and re-screens due."""
    with unit(store, actor) as uow:
        require(actor, CLINICIANS, N_("see the day's work"))
        active = CoursePlans(uow.session).with_status(actor.clinic_id, "active")
        plans, nobodys = _mine(actor, active)
        both = [*plans, *nobodys]
        recorded = SessionNotes(uow.session).recorded(
            actor.clinic_id, [p.id for p in both]
        )
        moves = SessionSchedule(uow.session).current(
            actor.clinic_id, [p.id for p in both]
        )
        flags = RescreenFlags(uow.session).open_in_clinic(actor.clinic_id)
        wanted = {p.patient_id for p in both} | {f.patient_id for f in flags}
        patients = uow.patients.by_ids(actor.clinic_id, wanted)

        def visits_of(rows: list[CoursePlanRow]) -> list[PlannedVisit]:
            return _sorted_visits(rows, recorded, moves, patients)

        visits = visits_of(plans)
        overdue: dict[int, PlannedVisit] = {}
        for visit in visits:  # only the first missed session of each plan
            if visit.date < today:
                overdue.setdefault(visit.plan_id, visit)
        end = today + dt.timedelta(days=WEEK)
        shown = [(p, p) for p in sorted(wanted)]
        log_reads(uow, actor, "patient", shown, detail={"view": "day"})
        return DayView(
            today=today,
            overdue=list(overdue.values()),
            today_sessions=[v for v in visits if v.date == today],
            week_sessions=[v for v in visits if today < v.date < end],
            unassigned=[v for v in visits_of(nobodys) if today <= v.date < end],
            rescreens=[
                patient_record(patients[i])
                for i in sorted({f.patient_id for f in flags})
                if i in patients
            ],
        )
