"""A clinician's working day: planned sessions today and this week, re-screens due.

Read from the clinic's active course plans (each session's planned date, the sessions
already recorded left out; a session planned for several modalities is one visit on
its earliest date) and the open re-screen flags. Overdue sessions (planned before
today, not recorded) are listed too, so nothing planned drops out of sight. One audit
event covers the patients shown. Questionnaires due are added by the questionnaire
work (``DayView`` is where they belong).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict

from spinewise.services.access.actors import CLINICIANS, Actor, require
from spinewise.services.audit import log_reads
from spinewise.services.convert import patient_record
from spinewise.services.records import PatientRecord
from spinewise.services.unit import unit
from spinewise.store import (
    CoursePlanRow,
    CoursePlans,
    RescreenFlags,
    SessionNotes,
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


class DayView(BaseModel):
    """What a clinician's day holds (``overdue``: planned earlier, not recorded)."""

    model_config = ConfigDict(frozen=True)

    today: dt.date
    overdue: list[PlannedVisit]
    today_sessions: list[PlannedVisit]
    week_sessions: list[PlannedVisit]
    rescreens: list[PatientRecord]


def _visits(plan: CoursePlanRow, recorded: set[tuple[int, int]]) -> dict[int, Any]:
    found: dict[int, tuple[dt.date, list[str]]] = {}
    for course in plan.plan.get("courses", []):
        for session in course.get("sessions", []):
            number = int(session["number"])
            if (plan.id, number) in recorded:
                continue
            day = dt.date.fromisoformat(session["date"])
            earlier, names = found.get(number, (day, []))
            found[number] = (min(day, earlier), [*names, str(course["modality"])])
    return found


def day_view(store: Store, actor: Actor, today: dt.date) -> DayView:
    """Planned sessions (overdue, today, the next six days) and re-screens due."""
    with unit(store, actor) as uow:
        require(actor, CLINICIANS, "see the day's work")
        plans = CoursePlans(uow.session).with_status(actor.clinic_id, "active")
        recorded = SessionNotes(uow.session).recorded(
            actor.clinic_id, [p.id for p in plans]
        )
        flags = RescreenFlags(uow.session).open_in_clinic(actor.clinic_id)
        wanted = {p.patient_id for p in plans} | {f.patient_id for f in flags}
        patients = uow.patients.by_ids(actor.clinic_id, wanted)
        visits = sorted(
            (
                PlannedVisit(
                    patient=patient_record(patients[plan.patient_id]),
                    plan_id=plan.id,
                    session_number=number,
                    date=day,
                    modalities=names,
                )
                for plan in plans
                for number, (day, names) in _visits(plan, recorded).items()
            ),
            key=lambda v: (v.date, v.patient.name, v.session_number),
        )
        overdue: dict[int, PlannedVisit] = {}
        for visit in visits:  # only the first missed session of each plan
            if visit.date < today:
                overdue.setdefault(visit.plan_id, visit)
        end = today + dt.timedelta(days=WEEK)
        shown = sorted({*wanted})
        log_reads(
            uow, actor, "patient", [(p, p) for p in shown], detail={"view": "day"}
        )
        return DayView(
            today=today,
            overdue=list(overdue.values()),
            today_sessions=[v for v in visits if v.date == today],
            week_sessions=[v for v in visits if today < v.date < end],
            rescreens=[
                patient_record(patients[i])
                for i in sorted({f.patient_id for f in flags})
                if i in patients
            ],
        )
